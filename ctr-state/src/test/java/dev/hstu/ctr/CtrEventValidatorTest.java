package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CtrEventValidatorTest {
    private final CtrEventValidator validator = new CtrEventValidator(CtrConfig.defaults());

    @Test
    void validEventsPass() {
        assertThat(validator.check(new CtrEvent(1, 2, 1, 90_000))).isEmpty();
        assertThat(validator.check(new CtrEvent(1, 2, 0, 0))).isEmpty();
    }

    @Test
    void unknownActionsAndNegativeTimestampsAreRejectedWithAReason() {
        assertThat(validator.check(new CtrEvent(1, 2, 4, 5)))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(RejectReason.UNKNOWN_ACTION));
        assertThat(validator.check(new CtrEvent(1, 2, 1, -5)))
                .hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("timestampMs=-5 is negative"));
    }
}
