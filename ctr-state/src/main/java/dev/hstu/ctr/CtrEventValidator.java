package dev.hstu.ctr;

import java.io.Serializable;
import java.util.Optional;

/** Decides whether an event may be folded into the statistics; one definition for batch and stream. */
public final class CtrEventValidator implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ActionWeights actionWeights;

    /** Validator for a configuration. */
    public CtrEventValidator(CtrConfig config) {
        this.actionWeights = config.actionWeights();
    }

    /** Checks the event itself: its timestamp and action bits. */
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

    private static Optional<RejectedCtrEvent> reject(CtrEvent event, RejectReason reason, String message) {
        return Optional.of(new RejectedCtrEvent(event, reason, message));
    }
}
