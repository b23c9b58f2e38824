package dev.hstu.sink;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Objects;

/**
 * A user's query embedding as emitted to the {@code query-embeddings} topic and the embedding files: the encoder's
 * L2-normalised output at the user's last interaction, the vector the user's top-K list was scored with.
 *
 * @param userId       the user
 * @param embedding    the unit-norm query vector
 * @param modelVersion the model version that computed it (vectors of different versions are not comparable)
 * @param eventTimeMs  event time of the newest interaction it reflects
 * @param emittedAtMs  wall-clock time it was computed
 */
public record QueryEmbedding(
        @JsonProperty("user_id") long userId,
        @JsonProperty("embedding") float[] embedding,
        @JsonProperty("model_version") long modelVersion,
        @JsonProperty("event_time") long eventTimeMs,
        @JsonProperty("emitted_at") long emittedAtMs) {

    public QueryEmbedding {
        Objects.requireNonNull(embedding, "embedding");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueryEmbedding e
                && userId == e.userId
                && modelVersion == e.modelVersion
                && eventTimeMs == e.eventTimeMs
                && emittedAtMs == e.emittedAtMs
                && Arrays.equals(embedding, e.embedding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, modelVersion, eventTimeMs, Arrays.hashCode(embedding));
    }

    @Override
    public String toString() {
        return "QueryEmbedding{user=" + userId + ", v" + modelVersion + ", dim=" + embedding.length + "}";
    }
}
