package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CtrEventValidatorTest {
    private final CtrEventValidator validator =
            new CtrEventValidator(CtrConfig.defaults().withAllowedLateness(Duration.ofSeconds(10)));

    @Test
    void eventsWithinTheAllowedLatenessPass() {
        assertThat(validator.check(new CtrEvent(1, 2, 1, 90_000), 100_000)).isEmpty();
        assertThat(validator.check(new CtrEvent(1, 2, 1, 0), Long.MIN_VALUE)).isEmpty();
    }

    @Test
    void lateInvalidAndNegativeEventsAreRejectedWithAReason() {
        assertThat(validator.check(new CtrEvent(1, 2, 1, 89_999), 100_000)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.LATE);
            assertThat(r.message()).contains("timestampMs=89999 is 10001 ms behind the watermark 100000");
        });
        assertThat(validator.check(new CtrEvent(1, 2, 4, 5), 0))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(RejectReason.UNKNOWN_ACTION));
        assertThat(validator.check(new CtrEvent(1, 2, 1, -5)))
                .hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("timestampMs=-5 is negative"));
    }
}
