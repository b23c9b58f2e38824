package dev.hstu.jobs.kafka;

import dev.hstu.jobs.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes raw JSON interaction records to a topic, keyed by user so each user's events stay in order in one
 * partition, with the event time as the Kafka timestamp (which the training job's watermarks follow).
 */
public final class EventProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private Future<?> last;

    public EventProducer(String bootstrapServers, String topic) {
        this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** A producer configured from {@code kafka} (its bootstrap servers and {@code kafka.properties}). */
    public EventProducer(KafkaSettings kafka, String topic) {
        this(kafka.clientConfig(), topic);
    }

    private EventProducer(Map<String, Object> clientConfig, String topic) {
        this.topic = topic;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void send(String key, byte[] value, long timestampMs) {
        send(null, key, value, timestampMs);
    }

    /** Like {@link #send(String, byte[], long)} to the given partition (null: the key's, as Kafka picks it). */
    public void send(Integer partition, String key, byte[] value, long timestampMs) {
        last = producer.send(new ProducerRecord<>(
                topic,
                partition,
                timestampMs,
                key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value));
    }

    /** Blocks until everything sent so far is acknowledged; rethrows the first failure. */
    public void flush() {
        producer.flush();
        if (last != null) {
            try {
                last.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while producing to " + topic, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "producing to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
