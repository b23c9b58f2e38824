package dev.hstu.jobs.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.ctr.CtrChannels;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.demo.RatingsLog;
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
import dev.hstu.model.serve.ScoringModel;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CTR channels on the whole training path, on a real embedded broker and a MiniCluster with RocksDB: MovieLens
 * events -> training job (CTR stage, sequences, packing) -> training-batches topic -> standalone trainer of a model
 * that takes the channels -> a version the serving side loads only when it attaches the same channels. A trainer
 * whose model does not take them dead-letters the batches instead of training on them.
 */
class CtrTrainingPathIT {

    private static final int EVENTS = 4000;
    private static EmbeddedKafka kafka;

    @TempDir
    Path work;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        Topics.create(kafka.bootstrapServers(), 2, "interactions", "training-batches", "interactions-dlq");
        Topics.create(kafka.bootstrapServers(), 1, "model-updates");
        RatingsLog log = RatingsLog.read(Path.of("..", "data", "ml-latest-small", "ratings.csv"));
        StringBuilder json = new StringBuilder();
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "interactions")) {
            for (int i = 0; i < EVENTS; i++) {
                producer.send(
                        Long.toString(log.users[i]), log.eventJson(i, MovieLensActions.clickAtOrAbove(4.0), json), 0);
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private JobConfig config(Path models, boolean ctr) {
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
                        Map.entry("ctr.enabled", Boolean.toString(ctr)),
                        Map.entry("ctr.halfLife", "30d"),
                        Map.entry("ctr.populationFlushMs", "100"),
                        Map.entry("model.features.denseDim", ctr ? "4" : "0"),
                        Map.entry("model.encoder.embeddingDim", "16"),
                        Map.entry("model.stu.numLayers", "1"),
                        Map.entry("model.task.numNegatives", "32"),
                        Map.entry("model.encoder.maxSeqLen", "20"),
                        Map.entry("sequence.maxLength", "20"),
                        Map.entry("sequence.trainingStride", "4")));
    }

    @Test
    void batchesCarryTheChannelsAndOnlyAModelThatTakesThemTrainsAndServesThem() throws Exception {
        JobConfig config = config(work.resolve("models"), true);
        TrainingJob.kafkaJob(config, true).execute("training job with CTR");

        List<MicroBatch> batches = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "training-batches")) {
            reader.readToEnd(Duration.ofSeconds(10), r -> batches.add(MicroBatchCodec.decode(r.value())));
        }
        assertThat(batches).isNotEmpty();
        long events = 0;
        long withEvidence = 0;
        for (MicroBatch b : batches) {
            assertThat(b.featureDim()).isEqualTo(CtrChannels.COUNT);
            events += b.events();
            for (int e = 0; e < b.events(); e++) {
                // the user's and the item's exposures: at least one each once counted
                withEvidence += CtrChannels.exposures(b.features()[e * 4 + 2]) >= 1 - 1e-4
                                && CtrChannels.exposures(b.features()[e * 4 + 3]) >= 1 - 1e-4
                        ? 1
                        : 0;
            }
        }
        assertThat(withEvidence).as("events with their user and item counts").isEqualTo(events);

        // A trainer whose model takes no dense features refuses them with the reason.
        try (StandaloneTrainer mismatched = new StandaloneTrainer(config(work.resolve("other-models"), false))) {
            assertThat(mismatched.run(Duration.ofSeconds(3))).isZero();
            assertThat(mismatched.deadLetters()).isEqualTo(batches.size());
        }
        List<DeadLetter> letters = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "interactions-dlq")) {
            reader.poll(Duration.ofSeconds(3), r -> letters.add(JsonCodec.fromBytes(r.value(), DeadLetter.class)));
        }
        assertThat(letters).hasSize(batches.size());
        assertThat(letters.get(0).reason())
                .contains("carries 4 dense features per event")
                .contains("model.features.denseDim=0");

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
        UserSequence sequence = new UserSequence();
        for (int e = first.offsets()[0]; e < first.offsets()[1]; e++) {
            float[] channels = new float[4];
            System.arraycopy(first.features(), e * 4, channels, 0, 4);
            sequence.add(first.items()[e], first.actions()[e], first.timestampsMs()[e], channels, 20);
        }
        try (ScoringModel served = ModelSource.files("cpu", CtrChannels.COUNT).load(latest)) {
            List<ScoringModel.Scored> scored =
                    served.score(List.of(first.userIds()[0]), List.of(ServingFunction.history(sequence)), 10, true);
            assertThat(scored.get(0).items()).hasSize(10).doesNotHaveDuplicates();
        }
        assertThatThrownBy(() -> ModelSource.files("cpu", 0).load(latest))
                .hasMessageContaining(
                        "takes 4 dense features per event (model.features.denseDim), this job attaches 0");
    }
}
