package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.KafkaSinks;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Where the jobs read and write.
 *
 * @param bootstrapServers {@value #EMBEDDED} starts an in-process KRaft broker (the default run); anything else is a
 *                         real cluster's bootstrap list
 * @param queryEmbeddingsTopic the serving job's query embedding of every list it emits (exactly-once like the lists)
 * @param deliveryGuarantee of the Kafka sinks: exactly-once (transactional, visible to read_committed consumers at
 *                          each checkpoint), at-least-once or none
 * @param deadLetterMaxBytes the most bytes a dead letter's JSON may take: larger payloads are kept as an excerpt
 *                           with their size and hash; must leave room in the producer's {@code max.request.size}
 */
public record KafkaSettings(
        @JsonProperty("bootstrapServers") String bootstrapServers,
        @JsonProperty("interactionsTopic") String interactionsTopic,
        @JsonProperty("deadLetterTopic") String deadLetterTopic,
        @JsonProperty("modelUpdatesTopic") String modelUpdatesTopic,
        @JsonProperty("recommendationsTopic") String recommendationsTopic,
        @JsonProperty("queryEmbeddingsTopic") String queryEmbeddingsTopic,
        @JsonProperty("trainingBatchesTopic") String trainingBatchesTopic,
        @JsonProperty("partitions") Integer partitions,
        @JsonProperty("groupIdPrefix") String groupIdPrefix,
        @JsonProperty("deliveryGuarantee") String deliveryGuarantee,
        @JsonProperty("startFrom") String startFrom,
        @JsonProperty("deadLetterMaxBytes") Integer deadLetterMaxBytes)
        implements Serializable {

    public static final String EMBEDDED = "embedded";

    /** Kafka's default {@code max.request.size}. */
    static final int PRODUCER_MAX_REQUEST_SIZE = 1024 * 1024;

    /** Room a record needs beside its value in a request: the batch header, record header, key and headers. */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    public KafkaSettings {
        bootstrapServers = Objects.requireNonNullElse(bootstrapServers, EMBEDDED);
        interactionsTopic = Objects.requireNonNullElse(interactionsTopic, "interactions");
        deadLetterTopic = Objects.requireNonNullElse(deadLetterTopic, "interactions-dlq");
        modelUpdatesTopic = Objects.requireNonNullElse(modelUpdatesTopic, "model-updates");
        recommendationsTopic = Objects.requireNonNullElse(recommendationsTopic, "recommendations");
        queryEmbeddingsTopic = Objects.requireNonNullElse(queryEmbeddingsTopic, "query-embeddings");
        trainingBatchesTopic = Objects.requireNonNullElse(trainingBatchesTopic, "training-batches");
        partitions = Objects.requireNonNullElse(partitions, 2);
        groupIdPrefix = Objects.requireNonNullElse(groupIdPrefix, "hstu");
        deliveryGuarantee = Objects.requireNonNullElse(deliveryGuarantee, "exactly-once");
        startFrom = Objects.requireNonNullElse(startFrom, "earliest");
        deadLetterMaxBytes = Objects.requireNonNullElse(deadLetterMaxBytes, DeadLetter.DEFAULT_MAX_BYTES);
    }

    public static KafkaSettings defaults() {
        return new KafkaSettings(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean embedded() {
        return EMBEDDED.equals(bootstrapServers);
    }

    /** The same settings pointing at {@code servers} (used once the embedded broker has its address). */
    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(
                servers,
                interactionsTopic,
                deadLetterTopic,
                modelUpdatesTopic,
                recommendationsTopic,
                queryEmbeddingsTopic,
                trainingBatchesTopic,
                partitions,
                groupIdPrefix,
                deliveryGuarantee,
                startFrom,
                deadLetterMaxBytes);
    }

    /**
     * The producer's {@code max.request.size}, the largest record our producers send: Kafka's default, 1 MiB.
     */
    public int producerMaxRequestSize() {
        return PRODUCER_MAX_REQUEST_SIZE;
    }

    void check(List<String> problems) {
        JobConfig.require(problems, !bootstrapServers.isBlank(), "kafka.bootstrapServers must not be blank");
        JobConfig.require(problems, partitions > 0, "kafka.partitions must be > 0, got " + partitions);
        JobConfig.require(
                problems,
                startFrom.equals("earliest") || startFrom.equals("latest") || startFrom.equals("committed"),
                "kafka.startFrom must be earliest, latest or committed, got '" + startFrom + "'");
        JobConfig.require(
                problems,
                deadLetterMaxBytes >= DeadLetter.MIN_MAX_BYTES,
                "kafka.deadLetterMaxBytes must be >= " + DeadLetter.MIN_MAX_BYTES + ", got " + deadLetterMaxBytes);
        JobConfig.require(
                problems,
                (long) deadLetterMaxBytes + RECORD_OVERHEAD_BYTES <= producerMaxRequestSize(),
                "kafka.deadLetterMaxBytes (" + deadLetterMaxBytes + ") plus " + RECORD_OVERHEAD_BYTES
                        + " bytes of record overhead must fit the producer's max.request.size ("
                        + producerMaxRequestSize() + "), or every oversized dead letter would fail the job");
        try {
            KafkaSinks.parseGuarantee(deliveryGuarantee);
        } catch (IllegalArgumentException e) {
            problems.add("kafka.deliveryGuarantee: " + e.getMessage());
        }
        for (String topic : List.of(
                interactionsTopic,
                deadLetterTopic,
                modelUpdatesTopic,
                recommendationsTopic,
                queryEmbeddingsTopic,
                trainingBatchesTopic)) {
            JobConfig.require(
                    problems,
                    topic.matches("[A-Za-z0-9._-]{1,249}"),
                    "kafka topic names may use letters, digits, '.', '_' and '-', got '" + topic + "'");
        }
    }
}
