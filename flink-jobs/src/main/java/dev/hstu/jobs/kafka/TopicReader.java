package dev.hstu.jobs.kafka;

import dev.hstu.jobs.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning with {@code read_committed}, the way a downstream consumer of the
 * exactly-once sinks sees it, without joining a consumer group.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;

    public TopicReader(String bootstrapServers, String topic) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** A reader configured from {@code kafka} (its bootstrap servers and {@code kafka.properties}). */
    public TopicReader(KafkaSettings kafka, String topic) {
        this(kafka.clientConfig(), topic);
    }

    private TopicReader(Map<String, Object> clientConfig, String topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once for up to {@code timeout} and hands each record value to {@code sink}; returns the count. */
    public int poll(Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            sink.accept(record);
            n++;
        }
        return n;
    }

    /**
     * Reads everything committed up to the topic's current end (read_committed end offsets), however slowly the
     * broker answers; fails if that takes longer than {@code timeout}.
     */
    public int readToEnd(Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        var assigned = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = 0;
        while (!reached(ends)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read " + assigned + " to its end " + ends + " within " + timeout);
            }
            n += poll(Duration.ofMillis(500), sink);
        }
        return n;
    }

    /** The offset after each partition's last committed record, now. */
    public Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(consumer.assignment());
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (var e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
