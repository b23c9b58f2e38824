package dev.hstu.jobs.event;

import dev.hstu.jobs.config.ValidationSettings;
import java.io.Serializable;

/**
 * The limits {@link EventParser} enforces, taken from {@link ValidationSettings}.
 *
 * @param userFeatures read and validate {@code user_feat} (when the model takes user features); otherwise it is
 *                     skipped unread like the other feature fields
 */
public record EventRules(
        int maxPayloadBytes, long maxFutureSkewMs, long minTimestampMs, int maxAction, boolean userFeatures)
        implements Serializable {

    /** Rules that skip {@code user_feat}. */
    public static EventRules from(ValidationSettings settings) {
        return from(settings, false);
    }

    public static EventRules from(ValidationSettings settings, boolean userFeatures) {
        return new EventRules(
                settings.maxPayloadBytes(),
                settings.maxFutureSkewMs(),
                settings.minTimestampMs(),
                (1 << settings.actionBits()) - 1,
                userFeatures);
    }
}
