package dev.hstu.ctr;

import java.io.Serializable;
import java.util.Optional;

/** Decides whether an event may be folded into the statistics; one definition for batch and stream. */
public final class CtrEventValidator implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ActionWeights actionWeights;
    private final long allowedLatenessMs;

    /** Validator for a configuration. */
    public CtrEventValidator(CtrConfig config) {
        this.actionWeights = config.actionWeights();
        this.allowedLatenessMs = config.allowedLateness().toMillis();
    }

    /** Checks the event itself (timestamp, action bits); the batch path has no watermark. */
    public Optional<RejectedCtrEvent> check(CtrEvent event) {
        if (event.timestampMs() < 0) {
            return reject(
                    event, RejectReason.NEGATIVE_TIMESTAMP, "timestampMs=" + event.timestampMs() + " is negative");
        }
        if (!actionWeights.isKnown(event.action())) {
            return reject(event, RejectReason.UNKNOWN_ACTION, actionWeights.unknownBitsMessage(event.action()));
        }
        return Optional.empty();
    }

    /**
     * Checks the event and its lateness: it is late when its timestamp is more than the allowed
     * lateness behind {@code watermarkMs}.
     */
    public Optional<RejectedCtrEvent> check(CtrEvent event, long watermarkMs) {
        Optional<RejectedCtrEvent> invalid = check(event);
        if (invalid.isPresent()) {
            return invalid;
        }
        // Before the first watermark (Long.MIN_VALUE) nothing is late; the subtraction must not wrap.
        if (watermarkMs != Long.MIN_VALUE && event.timestampMs() < watermarkMs - allowedLatenessMs) {
            return reject(
                    event,
                    RejectReason.LATE,
                    "timestampMs=" + event.timestampMs() + " is " + (watermarkMs - event.timestampMs())
                            + " ms behind the watermark " + watermarkMs + ", allowed lateness is " + allowedLatenessMs
                            + " ms");
        }
        return Optional.empty();
    }

    private static Optional<RejectedCtrEvent> reject(CtrEvent event, RejectReason reason, String message) {
        return Optional.of(new RejectedCtrEvent(event, reason, message));
    }
}
