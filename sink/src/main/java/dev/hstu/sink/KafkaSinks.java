package dev.hstu.sink;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Builds the project's Kafka sinks, all JSON, all configured the same way.
 *
 * <p>With {@link DeliveryGuarantee#EXACTLY_ONCE} records become visible to {@code read_committed} consumers when
 * the checkpoint that covers them completes, so the checkpoint interval bounds their latency. The transaction
 * timeout is the client properties' {@code transaction.timeout.ms} ({@code kafka.transactionTimeoutMs} in the jobs),
 * else 10 min: below the broker's default {@code transaction.max.timeout.ms} (15 min), which the connector's own
 * default (1 h) would exceed and fail at start-up.
 */
public final class KafkaSinks {

    /** The default transaction timeout, when the client properties give none. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    static final String TRANSACTION_TIMEOUT_PROPERTY = "transaction.timeout.ms";

    private KafkaSinks() {}

    /** Parses "exactly-once", "at-least-once" or "none" (case-insensitive, '-' or '_'). */
    public static DeliveryGuarantee parseGuarantee(String text) {
        String normalised = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return DeliveryGuarantee.valueOf(normalised);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown delivery guarantee '" + text + "': use exactly-once, at-least-once or none");
        }
    }

    /**
     * A JSON sink for {@code type} records on {@code topic}.
     *
     * @param transactionalIdPrefix unique per sink and per job, required for exactly-once
     */
    public static <T> KafkaSink<T> json(
            String bootstrapServers,
            String topic,
            Class<T> type,
            JsonKafkaRecordSerializer.KeyFunction<T> key,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        return json(bootstrapServers, Map.of(), topic, type, key, guarantee, transactionalIdPrefix);
    }

    /**
     * A JSON sink whose producers also take {@code clientProperties} (security, tuning: {@code kafka.properties}).
     */
    public static <T> KafkaSink<T> json(
            String bootstrapServers,
            Map<String, String> clientProperties,
            String topic,
            Class<T> type,
            JsonKafkaRecordSerializer.KeyFunction<T> key,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        return of(
                bootstrapServers,
                clientProperties,
                new JsonKafkaRecordSerializer<>(topic, type, key),
                guarantee,
                transactionalIdPrefix);
    }

    /** A sink with any record serializer, configured like the JSON ones. */
    public static <T> KafkaSink<T> of(
            String bootstrapServers,
            KafkaRecordSerializationSchema<T> serializer,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        return of(bootstrapServers, Map.of(), serializer, guarantee, transactionalIdPrefix);
    }

    /** A sink with any record serializer and client properties, configured like the JSON ones. */
    public static <T> KafkaSink<T> of(
            String bootstrapServers,
            Map<String, String> clientProperties,
            KafkaRecordSerializationSchema<T> serializer,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        var builder = KafkaSink.<T>builder();
        // the client properties first, so that what the sink itself sets below wins
        clientProperties.forEach(builder::setProperty);
        builder.setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix);
            if (!clientProperties.containsKey(TRANSACTION_TIMEOUT_PROPERTY)) {
                builder.setProperty(TRANSACTION_TIMEOUT_PROPERTY, Long.toString(TRANSACTION_TIMEOUT.toMillis()));
            }
        }
        return builder.build();
    }
}
