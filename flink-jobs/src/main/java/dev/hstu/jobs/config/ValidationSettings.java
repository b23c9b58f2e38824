package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Limits that decide which input records go to the dead-letter topic.
 *
 * @param maxFutureSkewMs an event stamped further than this ahead of the wall clock is rejected
 * @param minTimestampMs  an event stamped before this is rejected (default: 1995-01-01, before any real log)
 */
public record ValidationSettings(
        @JsonProperty("maxPayloadBytes") Integer maxPayloadBytes,
        @JsonProperty("maxFutureSkewMs") Long maxFutureSkewMs,
        @JsonProperty("minTimestampMs") Long minTimestampMs,
        @JsonProperty("actionBits") Integer actionBits)
        implements Serializable {

    public ValidationSettings {
        maxPayloadBytes = Objects.requireNonNullElse(maxPayloadBytes, 64 * 1024);
        maxFutureSkewMs = Objects.requireNonNullElse(maxFutureSkewMs, 24L * 3600 * 1000);
        minTimestampMs = Objects.requireNonNullElse(minTimestampMs, 788_918_400_000L);
        actionBits = Objects.requireNonNullElse(actionBits, 4);
    }

    public static ValidationSettings defaults() {
        return new ValidationSettings(null, null, null, null);
    }

    void check(List<String> problems) {
        JobConfig.require(problems, maxPayloadBytes > 0, "validation.maxPayloadBytes must be > 0");
        JobConfig.require(problems, maxFutureSkewMs >= 0, "validation.maxFutureSkewMs must be >= 0");
        JobConfig.require(problems, minTimestampMs >= 0, "validation.minTimestampMs must be >= 0");
        JobConfig.require(
                problems,
                actionBits >= 1 && actionBits <= 30,
                "validation.actionBits must be in [1, 30], got " + actionBits);
    }
}
