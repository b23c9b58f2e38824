package dev.hstu.jobs.ctr;

import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.RejectedCtrEvent;
import dev.hstu.jobs.event.EventJson;
import dev.hstu.sink.DeadLetter;
import java.nio.charset.StandardCharsets;

/** Dead letters for events the CTR definition refused. */
public final class CtrDeadLetters {

    private CtrDeadLetters() {}

    /**
     * The reason, and the event in the interactions topic's JSON form (the original record is parsed by then). The
     * event itself still reaches the user's sequence, without the counts it could not join.
     */
    public static DeadLetter of(RejectedCtrEvent rejected) {
        return of(rejected, DeadLetter.DEFAULT_MAX_BYTES);
    }

    /** As {@link #of(RejectedCtrEvent)}, bounded by {@code maxBytes} ({@code kafka.deadLetterMaxBytes}). */
    public static DeadLetter of(RejectedCtrEvent rejected, int maxBytes) {
        CtrEvent e = rejected.event();
        String json = EventJson.write(new StringBuilder(96), e.userId(), e.itemId(), e.action(), e.timestampMs())
                .toString();
        return DeadLetter.of(
                "not folded into the CTR statistics (" + rejected.reason() + "): " + rejected.message()
                        + "; the event was kept in the sequence without these counts",
                json.getBytes(StandardCharsets.UTF_8),
                null,
                -1,
                -1,
                System.currentTimeMillis(),
                maxBytes);
    }
}
