package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Per-user sequence state.
 *
 * @param maxLength      N, the number of most recent interactions kept per user
 * @param trainingStride a user's sequence is sent to the trainer after this many new interactions (and at the end
 *                       of a bounded input), so each target is trained once and the stream stays cheap
 */
public record SequenceSettings(
        @JsonProperty("maxLength") Integer maxLength,
        @JsonProperty("trainingStride") Integer trainingStride) implements Serializable {

    public SequenceSettings {
        maxLength = Objects.requireNonNullElse(maxLength, 50);
        trainingStride = Objects.requireNonNullElse(trainingStride, 8);
    }

    public static SequenceSettings defaults() {
        return new SequenceSettings(null, null);
    }

    void check(List<String> problems) {
        JobConfig.require(problems, maxLength >= 2, "sequence.maxLength must be >= 2, got " + maxLength);
        JobConfig.require(
                problems,
                trainingStride >= 1 && trainingStride < maxLength,
                "sequence.trainingStride must be in [1, sequence.maxLength), got " + trainingStride);
    }
}
