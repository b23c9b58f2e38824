package dev.hstu.jobs.recovery;

import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.TopicReader;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.sink.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the recovery tests share: a MovieLens slice as events, job settings, model versions, topic read-back. */
final class RecoveryFixtures {

    private static final Path RATINGS = Path.of("..", "data", "ml-latest-small", "ratings.csv");

    private RecoveryFixtures() {}

    /** One interaction as produced to the interactions topic. */
    record Event(long user, long item, int action, long tsMs) {
        byte[] json() {
            return ("{\"user_id\":" + user + ",\"item_id\":" + item + ",\"action\":" + action + ",\"ts\":" + tsMs + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Every rating of users {@code 1..users} of the bundled MovieLens log, in time order. Ratings carry seconds;
     * a user's ratings within one second get consecutive milliseconds, so each event time is unique per user (a
     * recommendation's (user, event_time) then names exactly one state of the user's history) and the order is kept.
     */
    static List<Event> events(int users) {
        List<long[]> rows = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(RATINGS);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                long user = Long.parseLong(f[0]);
                if (user <= users) {
                    rows.add(new long[] {
                        user, Long.parseLong(f[1]), Float.parseFloat(f[2]) >= 4.0f ? 1 : 0, Long.parseLong(f[3])
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.sort((a, b) -> Long.compare(a[3], b[3])); // stable: ties keep file order
        Map<Long, long[]> lastSecondAndCount = new HashMap<>();
        List<Event> out = new ArrayList<>(rows.size());
        for (long[] r : rows) {
            long[] last = lastSecondAndCount.computeIfAbsent(r[0], u -> new long[] {-1, 0});
            last[1] = last[0] == r[3] ? last[1] + 1 : 0;
            last[0] = r[3];
            out.add(new Event(r[0], r[1], (int) r[2], r[3] * 1000 + last[1]));
        }
        return out;
    }

    /** The timestamp of each user's last event. */
    static Map<Long, Long> lastEventTime(Collection<Event> events) {
        Map<Long, Long> out = new HashMap<>();
        for (Event e : events) {
            out.merge(e.user(), e.tsMs(), Math::max);
        }
        return out;
    }

    static void produce(String bootstrap, String topic, List<Event> events) {
        try (EventProducer producer = new EventProducer(bootstrap, topic)) {
            for (Event e : events) {
                producer.send(Long.toString(e.user()), e.json(), e.tsMs());
            }
            producer.flush();
        }
    }

    /** The project's local configuration, small and fast, writing under {@code work}. */
    static JobConfig config(Path work, String bootstrap, Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("kafka.bootstrapServers", bootstrap);
        all.put("flink.checkpointDir", work.resolve("checkpoints").toString());
        all.put("flink.checkpointIntervalMs", "500");
        all.put("training.modelDir", work.resolve("models").toString());
        all.put("model.encoder.embeddingDim", "16");
        all.put("model.stu.numLayers", "1");
        all.put("model.task.numNegatives", "32");
        all.put("serving.refreshDelayMs", "200");
        all.putAll(overrides);
        return ConfigLoader.load(Path.of("..", "conf", "local.yaml"), all);
    }

    /** A fixed-delay restart strategy for the job: one restart is expected, a second means something is wrong. */
    static Configuration restartOnce() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return conf;
    }

    /** A small, untrained but complete model version over the items of {@code events}, as the trainer writes it. */
    static ModelVersion publishModel(Path modelDir, long version, Collection<Event> events, boolean finalVersion) {
        TreeSet<Long> items = new TreeSet<>();
        events.forEach(e -> items.add(e.item()));
        HstuConfig config = HstuConfig.defaults()
                .with("items.capacity", items.size() + 16)
                .with("encoder.embeddingDim", 16)
                .with("stu.numHeads", 2)
                .with("stu.numLayers", 1)
                .with("encoder.maxSeqLen", 50)
                .with("runtime.seed", version)
                .validate();
        return new ModelStore(modelDir).publish(version, dir -> {
            try (HstuModel model = HstuModel.create(config)) {
                ItemVocabulary vocabulary = new ItemVocabulary(config.items().capacity());
                items.forEach(vocabulary::indexOrAssign);
                model.setItemRowsInUse(vocabulary.size());
                model.save(dir);
                // the vocabulary's name in versions written before the store had one layout: still read
                vocabulary.save(dir.resolve(ModelFiles.LEGACY_VOCABULARY));
            }
            return new ModelStore.ManifestFields(version, 1.0, 0, items.size(), finalVersion);
        });
    }

    /** Announces a manifest on the model-updates topic, as the training job's sink does. */
    static void announce(String bootstrap, String topic, ModelVersion manifest) {
        try (EventProducer producer = new EventProducer(bootstrap, topic)) {
            producer.send("model", JsonCodec.toBytes(manifest), System.currentTimeMillis());
            producer.flush();
        }
    }

    /**
     * The broker's transactions and their states, and how many records {@code topic} holds committed or not: what
     * to look at when a read_committed reader sees less than expected (an open transaction holds it back).
     */
    static String transactionsAndRecords(String bootstrap, String topic) {
        StringBuilder out = new StringBuilder();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(t -> t.transactionalId() + "=" + t.state())
                    .sorted()
                    .forEach(t -> out.append(t).append(' '));
        } catch (Exception e) {
            out.append("(cannot list transactions: ").append(e).append(") ");
        }
        int[] uncommitted = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (int n = consumer.poll(Duration.ofSeconds(2)).count();
                    n > 0;
                    n = consumer.poll(Duration.ofSeconds(2)).count()) {
                uncommitted[0] += n;
            }
        }
        return "transactions: " + out + "; records in " + topic + " (read_uncommitted): " + uncommitted[0];
    }

    /**
     * Everything committed on {@code topic}, read with read_committed up to the end offsets (the last stable offsets)
     * taken first, so a slow first poll on a loaded machine cannot end the read early.
     */
    static <T> List<T> readAll(String bootstrap, String topic, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(bootstrap, topic)) {
            reader.readToEnd(Duration.ofSeconds(30), r -> out.add(JsonCodec.fromBytes(r.value(), type)));
        }
        return out;
    }
}
