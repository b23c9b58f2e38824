package dev.hstu.jobs.kafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) in this JVM, listening on loopback only.
 * It runs the broker code from the Kafka server jars, not a mock; data lives in a temporary directory and is gone
 * when it closes.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts the broker and waits until it accepts clients. */
    public static EmbeddedKafka start() {
        long t0 = System.nanoTime();
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    // A single node: internal topics must not wait for replicas that will never exist,
                    // or consumer groups and transactions hang.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "2")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "2")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    // Replayed history carries its original timestamps (years old): time-based retention would
                    // delete it while the jobs read it.
                    .setConfigProp("log.retention.ms", "-1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster);
            LOG.info(
                    "Embedded Kafka (KRaft) ready at {} in {} ms",
                    kafka.bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000);
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates the topics that do not exist yet (see {@link Topics#create}). */
    public void createTopics(int partitions, String... topics) {
        Topics.create(bootstrapServers(), partitions, topics);
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warn("error while stopping the embedded Kafka broker", e);
        }
    }
}
