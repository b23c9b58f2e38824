package dev.hstu.jobs.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) in this JVM, both listeners on
 * {@value #HOST} only. It runs the broker code from the Kafka server jars, not a mock; data lives in a temporary
 * directory and is gone when it closes. The server is assembled here rather than with Kafka's test kit, whose
 * pre-bound controller socket listens on every interface.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, String bootstrapServers) {
        this.server = server;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the broker and waits until it accepts clients. */
    public static EmbeddedKafka start() {
        long t0 = System.nanoTime();
        IllegalStateException last = null;
        // The ports are chosen free and then given to the server, which another process may take meanwhile.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                EmbeddedKafka kafka = startOnce();
                LOG.info(
                        "Embedded Kafka (KRaft) ready at {} in {} ms",
                        kafka.bootstrapServers(),
                        (System.nanoTime() - t0) / 1_000_000);
                return kafka;
            } catch (IllegalStateException e) {
                last = e;
                LOG.warn(
                        "Embedded Kafka did not start (attempt {} of {}): {}", attempt, START_ATTEMPTS, e.getMessage());
            }
        }
        throw last;
    }

    private static EmbeddedKafka startOnce() {
        Path dir;
        try {
            dir = Files.createTempDirectory("hstu-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the embedded broker's data directory", e);
        }
        KafkaRaftServer server = null;
        try {
            int brokerPort = freePort();
            int controllerPort = freePort();
            String logDir = dir.toAbsolutePath().toString();
            Map<String, Object> props = new HashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put(
                    "listeners",
                    "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
            props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
            props.put("log.dirs", logDir);
            // A single node: internal topics must not wait for replicas that will never exist,
            // or consumer groups and transactions hang.
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "2");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "2");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            // Replayed history carries its original timestamps (years old): time-based retention would
            // delete it while the jobs read it.
            props.put("log.retention.ms", "-1");
            props.put("log.cleaner.dedupe.buffer.size", "2097152");
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    .run();
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            String servers = HOST + ":" + brokerPort;
            awaitReady(servers);
            return new EmbeddedKafka(server, dir, servers);
        } catch (Exception e) {
            if (server != null) {
                stop(server);
            }
            delete(dir);
            throw new IllegalStateException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady(String servers) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "100",
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50"))) {
            while (true) {
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no broker registered within " + READY_TIMEOUT);
                }
                Thread.sleep(100);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics that do not exist yet (see {@link Topics#create}). */
    public void createTopics(int partitions, String... topics) {
        Topics.create(bootstrapServers(), partitions, topics);
    }

    @Override
    public void close() {
        stop(server);
        delete(dataDir);
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (Exception e) {
            LOG.warn("error while stopping the embedded Kafka broker", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the embedded broker's data under {}: {}", dir, e.getMessage());
        }
    }
}
