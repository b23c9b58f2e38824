package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.KafkaSinks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * @param properties Kafka client settings passed to every producer, consumer and admin client the project builds
 *                   (security.protocol, sasl.*, ssl.*, tuning); the settings the project owns (bootstrap servers,
 *                   serialisers, group ids, isolation level, idempotence, transactions) are refused here
 * @param transactionTimeoutMs the exactly-once sinks' {@code transaction.timeout.ms}: a transaction stays open from
 *                             its first record until the checkpoint after it completes, and one open longer is
 *                             aborted by the broker with its records; checked against the checkpoint interval
 * @param transactionalIdPrefix prefix of the exactly-once sinks' transactional ids (default
 *                              {@code groupIdPrefix}): stable across restarts of one job instance, so a restarted
 *                              job aborts what it left open, and distinct for every instance that runs at the same
 *                              time, or the instances fence each other's producers
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
        @JsonProperty("deadLetterMaxBytes") Integer deadLetterMaxBytes,
        @JsonProperty("properties") Map<String, String> properties,
        @JsonProperty("transactionTimeoutMs") Long transactionTimeoutMs,
        @JsonProperty("transactionalIdPrefix") String transactionalIdPrefix)
        implements Serializable {

    /**
     * What a transaction needs beyond one checkpoint interval before it commits: the checkpoint itself and a restart
     * from it (the transactions of the failed attempt are committed or aborted by the restored job).
     */
    public static final long TRANSACTION_MARGIN_MS = 60_000;

    /** The broker's default {@code transaction.max.timeout.ms}: a longer transaction timeout is refused by it. */
    static final long BROKER_DEFAULT_MAX_TRANSACTION_TIMEOUT_MS = 900_000;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);

    /** Client settings the project sets itself, each for a reason its clients depend on. */
    static final Map<String, String> OWNED = Map.ofEntries(
            Map.entry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "use kafka.bootstrapServers"),
            Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "records are bytes the jobs serialise"),
            Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "records are bytes the jobs serialise"),
            Map.entry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "records are bytes the jobs parse"),
            Map.entry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "records are bytes the jobs parse"),
            Map.entry(CommonClientConfigs.GROUP_ID_CONFIG, "use kafka.groupIdPrefix"),
            Map.entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed keeps aborted writes out"),
            Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "offsets live in checkpoints and manifests"),
            Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "exactly-once writes need it"),
            Map.entry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "set per sink from kafka.groupIdPrefix"),
            Map.entry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "set by the project's sinks"));

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
        // sorted and unmodifiable: the settings travel inside Flink operators, and a log line lists them
        properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
        transactionTimeoutMs = Objects.requireNonNullElse(transactionTimeoutMs, 600_000L);
        transactionalIdPrefix = Objects.requireNonNullElse(transactionalIdPrefix, groupIdPrefix);
    }

    public static KafkaSettings defaults() {
        return new KafkaSettings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
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
                deadLetterMaxBytes,
                properties,
                transactionTimeoutMs,
                transactionalIdPrefix);
    }

    /** The client properties of the jobs' sinks: {@code kafka.properties} and the transaction timeout. */
    public Map<String, String> sinkProperties() {
        Map<String, String> sink = new TreeMap<>(properties);
        sink.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeoutMs));
        return sink;
    }

    /**
     * The configuration every Kafka client of the project starts from: {@code kafka.properties} and the bootstrap
     * servers. Each client adds what it owns ({@link #OWNED}) on top.
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** Keys of {@code kafka.properties} that no Kafka producer, consumer or admin client knows (typos, most likely). */
    public Set<String> unknownProperties() {
        Set<String> known = new TreeSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        Set<String> unknown = new TreeSet<>(properties.keySet());
        unknown.removeAll(known);
        return unknown;
    }

    /**
     * The producer's {@code max.request.size}, the largest record our producers send: from {@code kafka.properties},
     * else Kafka's default, 1 MiB.
     */
    public int producerMaxRequestSize() {
        String configured = properties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (configured != null) {
            try {
                return Integer.parseInt(configured.trim());
            } catch (NumberFormatException e) {
                return PRODUCER_MAX_REQUEST_SIZE; // reported by check
            }
        }
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
        List<String> owned = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (OWNED.containsKey(key)) {
                owned.add(key);
            }
            if (value == null || value.isBlank()) {
                problems.add("kafka.properties." + key + " has no value");
            }
        });
        for (String key : owned) {
            problems.add("kafka.properties." + key + " is set by the project (" + OWNED.get(key) + ")");
        }
        String maxRequest = properties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (maxRequest != null && !maxRequest.trim().matches("[0-9]{1,10}")) {
            problems.add("kafka.properties.max.request.size must be a number of bytes, got '" + maxRequest + "'");
        }
        for (String key : unknownProperties()) {
            // a warning, not an error: a newer client, or a plugin's setting, may know it
            LOG.warn("kafka.properties.{} is not a setting of this Kafka client version; passed on as it is", key);
        }
        JobConfig.require(
                problems,
                transactionalIdPrefix.matches("[A-Za-z0-9._-]{1,200}"),
                "kafka.transactionalIdPrefix may use letters, digits, '.', '_' and '-', got '" + transactionalIdPrefix
                        + "'");
        JobConfig.require(
                problems,
                transactionTimeoutMs > 0,
                "kafka.transactionTimeoutMs must be > 0, got " + transactionTimeoutMs);
        if (transactionTimeoutMs > BROKER_DEFAULT_MAX_TRANSACTION_TIMEOUT_MS) {
            LOG.warn(
                    "kafka.transactionTimeoutMs={} exceeds the broker default transaction.max.timeout.ms={}: raise"
                            + " it on the brokers, or the exactly-once sinks cannot start",
                    transactionTimeoutMs,
                    BROKER_DEFAULT_MAX_TRANSACTION_TIMEOUT_MS);
        }
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
