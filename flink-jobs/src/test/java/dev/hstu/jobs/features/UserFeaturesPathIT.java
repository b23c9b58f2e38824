package dev.hstu.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.demo.RatingsLog;
import dev.hstu.jobs.event.EventJson;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.TopicReader;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.jobs.sequence.UserSequence;
import dev.hstu.jobs.serve.ModelSource;
import dev.hstu.jobs.serve.ServingFunction;
import dev.hstu.jobs.train.StandaloneTrainer;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import dev.hstu.model.data.UserFeatureHashing;
import dev.hstu.model.serve.ScoringModel;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contextual user features on the whole training path, on a real embedded broker and a MiniCluster with RocksDB:
 * MovieLens events carrying a {@code user_feat} object -> training job (parsed into hashed keys, kept per user in
 * the sequence state, packed per sequence) -> training-batches topic -> standalone trainer of a model with
 * user-feature slots -> a version the serving side loads only when it reads user features too. A record with a
 * malformed {@code user_feat} is dead-lettered with the reason.
 */
class UserFeaturesPathIT {

    private static final int EVENTS = 3000;
    private static final int SLOTS = 4;
    private static EmbeddedKafka kafka;

    @TempDir
    Path work;

    /** The synthetic profile of a user: two features, one of them a list. */
    private static String userFeat(long user) {
        return "{\"101\":" + user % 7 + ",\"102\":[" + user % 3 + ",5]}";
    }

    private static long[] expectedKeys(long user) {
        return LongStream.of(
                        UserFeatureHashing.key(101, user % 7),
                        UserFeatureHashing.key(102, user % 3),
                        UserFeatureHashing.key(102, 5))
                .sorted()
                .distinct()
                .toArray();
    }

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        Topics.create(kafka.bootstrapServers(), 2, "interactions", "training-batches", "interactions-dlq");
        Topics.create(kafka.bootstrapServers(), 1, "model-updates");
        RatingsLog log = RatingsLog.read(Path.of("..", "data", "ml-latest-small", "ratings.csv"));
        StringBuilder json = new StringBuilder();
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "interactions")) {
            for (int i = 0; i < EVENTS; i++) {
                EventJson.write(json, log.users[i], log.items[i], log.ratings[i] >= 4 ? 1 : 0, log.timestampsMs[i]);
                json.setLength(json.length() - 1);
                json.append(",\"user_feat\":").append(userFeat(log.users[i])).append('}');
                producer.send(Long.toString(log.users[i]), json.toString().getBytes(StandardCharsets.UTF_8), 0);
            }
            producer.send(
                    "1",
                    ("{\"user_id\":1,\"item_id\":2,\"ts\":" + log.timestampsMs[0] + ",\"user_feat\":{\"101\":2.5}}")
                            .getBytes(StandardCharsets.UTF_8),
                    0);
            producer.flush();
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private JobConfig config(Path models, int slots) {
        return ConfigLoader.load(
                Path.of("..", "conf", "local.yaml"),
                Map.ofEntries(
                        Map.entry("kafka.bootstrapServers", kafka.bootstrapServers()),
                        Map.entry(
                                "flink.checkpointDir",
                                work.resolve("checkpoints").toString()),
                        Map.entry("flink.checkpointIntervalMs", "1000"),
                        Map.entry("training.mode", "topic"),
                        Map.entry("training.batchSize", "32"),
                        Map.entry("training.modelDir", models.toString()),
                        Map.entry(
                                "model.features.userFeatures",
                                slots > 0 ? "{slots: " + slots + ", buckets: 64}" : "null"),
                        Map.entry("model.encoder.embeddingDim", "16"),
                        Map.entry("model.stu.numLayers", "1"),
                        Map.entry("model.task.numNegatives", "32"),
                        Map.entry("model.encoder.maxSeqLen", "20"),
                        Map.entry("sequence.maxLength", "20"),
                        Map.entry("sequence.trainingStride", "4")));
    }

    @Test
    void batchesCarryEachUsersFeaturesAndOnlyAModelThatTakesThemTrainsAndServesThem() throws Exception {
        JobConfig config = config(work.resolve("models"), SLOTS);
        TrainingJob.kafkaJob(config, true).execute("training job with user features");

        List<MicroBatch> batches = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "training-batches")) {
            reader.readToEnd(Duration.ofSeconds(10), r -> batches.add(MicroBatchCodec.decode(r.value())));
        }
        assertThat(batches).isNotEmpty();
        for (MicroBatch b : batches) {
            assertThat(b.userFeatureSlots()).isEqualTo(SLOTS);
            for (int s = 0; s < b.size(); s++) {
                long[] keys = Arrays.copyOfRange(b.userFeatures(), s * SLOTS, s * SLOTS + 3);
                assertThat(keys).as("user %d", b.userIds()[s]).containsExactly(expectedKeys(b.userIds()[s]));
                assertThat(b.userFeatures()[s * SLOTS + 3])
                        .as("empty fourth slot")
                        .isZero();
            }
        }
        List<DeadLetter> letters = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "interactions-dlq")) {
            reader.poll(Duration.ofSeconds(3), r -> letters.add(JsonCodec.fromBytes(r.value(), DeadLetter.class)));
        }
        assertThat(letters)
                .extracting(DeadLetter::reason)
                .containsExactly("bad user_feat: feature 101 is 2.5 (an int or [ints])");

        // A trainer whose model takes no user features refuses the batches with the reason.
        try (StandaloneTrainer mismatched = new StandaloneTrainer(config(work.resolve("other-models"), 0))) {
            assertThat(mismatched.run(Duration.ofSeconds(3))).isZero();
            assertThat(mismatched.deadLetters()).isEqualTo(batches.size());
        }

        ModelVersion latest;
        try (StandaloneTrainer trainer = new StandaloneTrainer(config)) {
            assertThat(trainer.run(Duration.ofSeconds(3))).isEqualTo(batches.size());
            assertThat(trainer.deadLetters()).isZero();
            ModelStore versions = new ModelStore(work.resolve("models"));
            latest = ModelStore.verify(versions.root()
                    .resolve(ModelStore.directoryName(versions.latestVersion().getAsLong())));
        }
        assertThat(Float.isFinite((float) latest.meanLoss())).isTrue();

        MicroBatch first = batches.get(0);
        long user = first.userIds()[0];
        UserSequence sequence = new UserSequence();
        for (int e = first.offsets()[0]; e < first.offsets()[1]; e++) {
            sequence.add(first.items()[e], first.actions()[e], first.timestampsMs()[e], 20);
        }
        sequence.updateUserFeatures(expectedKeys(user));
        UserSequence featureless = new UserSequence();
        for (int e = first.offsets()[0]; e < first.offsets()[1]; e++) {
            featureless.add(first.items()[e], first.actions()[e], first.timestampsMs()[e], 20);
        }
        try (ScoringModel served = ModelSource.files("cpu", 0, true).load(latest)) {
            List<ScoringModel.Scored> scored = served.score(
                    List.of(user, user),
                    List.of(ServingFunction.history(sequence), ServingFunction.history(featureless)),
                    10,
                    true);
            assertThat(scored.get(0).items()).hasSize(10).doesNotHaveDuplicates();
            // the trained user-feature embedding moves the query: the same history without them encodes differently
            assertThat(scored.get(0).query()).isNotEqualTo(scored.get(1).query());
        }
        assertThatThrownBy(() -> ModelSource.files("cpu", 0, false).load(latest))
                .hasMessageContaining(
                        "takes 4 user-feature slots (model.features.userFeatures.slots), this job skips user_feat");
    }
}
