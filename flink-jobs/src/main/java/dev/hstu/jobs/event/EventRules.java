package dev.hstu.jobs.event;

import dev.hstu.jobs.config.ValidationSettings;

import java.io.Serializable;

/** The limits {@link EventParser} enforces, taken from {@link ValidationSettings}. */
public record EventRules(int maxPayloadBytes, long maxFutureSkewMs, long minTimestampMs, int maxAction)
        implements Serializable {

    public static EventRules from(ValidationSettings settings) {
        return new EventRules(settings.maxPayloadBytes(), settings.maxFutureSkewMs(), settings.minTimestampMs(),
                (1 << settings.actionBits()) - 1);
    }
}
