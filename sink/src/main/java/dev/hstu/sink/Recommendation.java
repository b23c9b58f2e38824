package dev.hstu.sink;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Objects;

/**
 * A user's top-K list as emitted to the {@code recommendations} topic.
 *
 * @param userId       the user
 * @param items        external item ids, best first
 * @param scores       the model's score of each item (same order as {@code items})
 * @param modelVersion the model version that produced the list
 * @param eventTimeMs  event time of the newest interaction the list reflects
 * @param emittedAtMs  wall-clock time the list was computed
 */
public record Recommendation(
        @JsonProperty("user_id") long userId,
        @JsonProperty("items") long[] items,
        @JsonProperty("scores") float[] scores,
        @JsonProperty("model_version") long modelVersion,
        @JsonProperty("event_time") long eventTimeMs,
        @JsonProperty("emitted_at") long emittedAtMs) {

    public Recommendation {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(scores, "scores");
        if (items.length != scores.length) {
            throw new IllegalArgumentException(
                    "items and scores differ in length: " + items.length + " vs " + scores.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recommendation r
                && userId == r.userId
                && modelVersion == r.modelVersion
                && eventTimeMs == r.eventTimeMs
                && emittedAtMs == r.emittedAtMs
                && Arrays.equals(items, r.items)
                && Arrays.equals(scores, r.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, modelVersion, eventTimeMs, Arrays.hashCode(items));
    }

    @Override
    public String toString() {
        return "Recommendation{user=" + userId + ", v" + modelVersion + ", items=" + Arrays.toString(items) + "}";
    }
}
