package dev.hstu.jobs.kafka;

import dev.hstu.jobs.config.KafkaSettings;
import dev.hstu.jobs.event.RawRecord;
import java.util.Map;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/** The project's Kafka sources, configured from {@link KafkaSettings}. */
public final class KafkaSources {

    private KafkaSources() {}

    /**
     * Raw interaction records from the interactions topic.
     *
     * @param bounded stop at the offsets that are the latest when the job starts (replaying a topic that has been
     *                filled already, as the demo does); otherwise read forever
     */
    public static KafkaSource<RawRecord> interactions(KafkaSettings kafka, String groupSuffix, boolean bounded) {
        return raw(
                kafka,
                kafka.interactionsTopic(),
                kafka.groupIdPrefix() + "-" + groupSuffix,
                startingOffsets(kafka),
                bounded ? OffsetsInitializer.latest() : null);
    }

    /**
     * Raw interaction records up to {@code stopAt} (the offset after each partition's last record), waiting for
     * records that are not written yet: a bounded pass over a stream that is still being produced.
     */
    public static KafkaSource<RawRecord> interactions(
            KafkaSettings kafka, String groupSuffix, Map<TopicPartition, Long> stopAt) {
        return raw(
                kafka,
                kafka.interactionsTopic(),
                kafka.groupIdPrefix() + "-" + groupSuffix,
                startingOffsets(kafka),
                OffsetsInitializer.offsets(stopAt));
    }

    /** Raw records of the model-updates topic, always from the beginning, so a restarted scorer finds the newest. */
    public static KafkaSource<RawRecord> modelUpdates(KafkaSettings kafka, String groupSuffix) {
        return raw(
                kafka,
                kafka.modelUpdatesTopic(),
                kafka.groupIdPrefix() + "-" + groupSuffix,
                OffsetsInitializer.earliest(),
                null);
    }

    private static KafkaSource<RawRecord> raw(
            KafkaSettings kafka, String topic, String groupId, OffsetsInitializer start, OffsetsInitializer stop) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder();
        // kafka.properties first (security, tuning), so that what the source relies on below is never overridden
        kafka.properties().forEach(builder::setProperty);
        builder.setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(start)
                .setDeserializer(new RawRecordDeserializer())
                // Only committed records of transactional producers (our own exactly-once sinks) are read.
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000");
        if (stop != null) {
            builder.setBounded(stop);
        }
        return builder.build();
    }

    private static OffsetsInitializer startingOffsets(KafkaSettings kafka) {
        return switch (kafka.startFrom()) {
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> OffsetsInitializer.earliest();
        };
    }
}
