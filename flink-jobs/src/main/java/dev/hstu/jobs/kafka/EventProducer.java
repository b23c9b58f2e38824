package dev.hstu.jobs.kafka;

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
        this.topic = topic;
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                        ProducerConfig.LINGER_MS_CONFIG, "20",
                        ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024),
                        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    public void send(String key, byte[] value, long timestampMs) {
        last = producer.send(new ProducerRecord<>(
                topic,
                null,
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
