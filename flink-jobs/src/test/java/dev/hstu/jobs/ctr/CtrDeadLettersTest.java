package dev.hstu.jobs.ctr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.RejectReason;
import dev.hstu.ctr.RejectedCtrEvent;
import dev.hstu.sink.DeadLetter;
import org.junit.jupiter.api.Test;

class CtrDeadLettersTest {

    @Test
    void carriesTheReasonAndTheEventAsTheTopicsJsonWithUnsignedIds() {
        DeadLetter letter = CtrDeadLetters.of(new RejectedCtrEvent(
                new CtrEvent(-1L, 7, 32, 1000),
                RejectReason.UNKNOWN_ACTION,
                "action=32 has bits 0x20 outside the configured action bits 0xf"));

        assertThat(letter.reason())
                .contains("UNKNOWN_ACTION")
                .contains("bits 0x20")
                .contains("kept in the sequence without these counts");
        assertThat(letter.raw())
                .isEqualTo("{\"user_id\":\"18446744073709551615\",\"item_id\":\"7\",\"action\":32,\"ts\":1000}");
    }
}
