package dev.hstu.jobs.kafka;

import dev.hstu.jobs.config.KafkaSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic administration with the Kafka client alone (no broker classes), for any cluster. */
public final class Topics {

    private Topics() {}

    /**
     * Creates the topics that do not exist yet (replication factor 1, for single-node setups), with time-based
     * retention off: this project replays historical events with their original timestamps, which a retention of
     * days would delete as soon as they are written.
     */
    public static void create(String bootstrapServers, int partitions, String... topics) {
        create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), partitions, topics);
    }

    /** {@link #create(String, int, String...)} with the admin client configured from {@code kafka}. */
    public static void create(KafkaSettings kafka, int partitions, String... topics) {
        create(kafka.clientConfig(), partitions, topics);
    }

    private static void create(Map<String, Object> adminConfig, int partitions, String... topics) {
        try (Admin admin = Admin.create(adminConfig)) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, partitions, (short) 1).configs(Map.of("retention.ms", "-1")));
            }
            for (var entry : admin.createTopics(newTopics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + entry.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Like {@link #create} for those of {@code topics} that do not exist, and nothing for those that do: a job that
     * makes sure of its output topics needs no right to create topics where they exist already.
     */
    public static void createMissing(KafkaSettings kafka, int partitions, String... topics) {
        Map<String, Object> adminConfig = kafka.clientConfig();
        String bootstrapServers = kafka.bootstrapServers();
        Set<String> existing;
        try (Admin admin = Admin.create(adminConfig)) {
            existing = admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot list the topics at " + bootstrapServers + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
        String[] missing = Arrays.stream(topics)
                .filter(t -> !existing.contains(t))
                .distinct()
                .toArray(String[]::new);
        if (missing.length > 0) {
            create(adminConfig, partitions, missing);
        }
    }
}
