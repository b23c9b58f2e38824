package dev.hstu.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.batch.MicroBatchBuilder;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.TopicReader;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
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
 * The standalone trainer on a real embedded broker: micro-batches from the real MovieLens stream are trained
 * exactly once across restarts (the newest version's manifest carries the topic offsets), and an unreadable record
 * becomes a dead letter.
 */
class StandaloneTrainerIT {

    private static EmbeddedKafka kafka;

    @TempDir
    Path models;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        Topics.create(kafka.bootstrapServers(), 2, "training-batches", "interactions-dlq");
        Topics.create(kafka.bootstrapServers(), 1, "model-updates");
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private JobConfig config() {
        return config("training-batches", "interactions-dlq");
    }

    private JobConfig config(String batchesTopic, String deadLetterTopic) {
        return ConfigLoader.load(
                Path.of("..", "conf", "local.yaml"),
                Map.ofEntries(
                        Map.entry("kafka.bootstrapServers", kafka.bootstrapServers()),
                        Map.entry("kafka.trainingBatchesTopic", batchesTopic),
                        Map.entry("kafka.deadLetterTopic", deadLetterTopic),
                        Map.entry("training.mode", "topic"),
                        Map.entry("training.targets", "new"),
                        Map.entry("training.modelDir", models.toString()),
                        Map.entry("training.publishEverySteps", "4"),
                        Map.entry("model.encoder.embeddingDim", "16"),
                        Map.entry("model.stu.numLayers", "1"),
                        Map.entry("model.task.numNegatives", "32"),
                        Map.entry("model.encoder.maxSeqLen", "20"),
                        Map.entry("sequence.maxLength", "20"),
                        Map.entry("sequence.trainingStride", "4")));
    }

    private static List<MicroBatch> batches(List<TrainingSequence> sequences, int batchSize) {
        List<MicroBatch> out = new ArrayList<>();
        MicroBatchBuilder builder = new MicroBatchBuilder();
        for (TrainingSequence s : sequences) {
            builder.add(s, 20);
            if (builder.size() == batchSize) {
                out.add(builder.build(0));
            }
        }
        if (!builder.isEmpty()) {
            out.add(builder.build(0));
        }
        return out;
    }

    private static long targets(List<MicroBatch> batches) {
        long n = 0;
        for (MicroBatch b : batches) {
            for (int s = 0; s < b.size(); s++) {
                n += b.length(s) - 1 - b.firstTarget()[s];
            }
        }
        return n;
    }

    @Test
    void trainsEveryBatchOnceAcrossRestartsAndDeadLettersGarbage() throws Exception {
        List<TrainingSequence> sequences = TrainerOperatorTest.streamPrefix(3000);
        List<MicroBatch> first = batches(sequences.subList(0, sequences.size() / 2), 16);
        List<MicroBatch> second = batches(sequences.subList(sequences.size() / 2, sequences.size()), 16);
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "training-batches")) {
            for (MicroBatch b : first) {
                producer.send(null, MicroBatchCodec.encode(b), 0);
            }
            producer.send(null, "{\"not\": \"a batch\"}".getBytes(), 0);
            producer.flush();
        }

        ModelVersion afterFirst;
        try (StandaloneTrainer trainer = new StandaloneTrainer(config())) {
            assertThat(trainer.run(Duration.ofSeconds(3))).isEqualTo(first.size());
            assertThat(trainer.deadLetters()).isEqualTo(1);
            afterFirst = latest(trainer);
        }
        assertThat(afterFirst.trainedTargets()).isEqualTo(targets(first));
        assertThat(afterFirst.sourceOffsets()).isNotNull();

        try (StandaloneTrainer restarted = new StandaloneTrainer(config())) {
            assertThat(restarted.run(Duration.ofSeconds(2)))
                    .as("nothing is trained twice")
                    .isZero();
        }

        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "training-batches")) {
            for (MicroBatch b : second) {
                producer.send(null, MicroBatchCodec.encode(b), 0);
            }
            producer.flush();
        }
        try (StandaloneTrainer resumed = new StandaloneTrainer(config())) {
            assertThat(resumed.run(Duration.ofSeconds(3))).isEqualTo(second.size());
            ModelVersion last = latest(resumed);
            assertThat(last.step()).isGreaterThan(afterFirst.step());
        }

        List<DeadLetter> letters = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "interactions-dlq")) {
            reader.poll(Duration.ofSeconds(3), r -> letters.add(JsonCodec.fromBytes(r.value(), DeadLetter.class)));
        }
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).reason()).startsWith("not a micro-batch");
        assertThat(letters.get(0).sourceTopic()).isEqualTo("training-batches");
        List<ModelVersion> announced = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "model-updates")) {
            reader.poll(Duration.ofSeconds(3), r -> announced.add(JsonCodec.fromBytes(r.value(), ModelVersion.class)));
        }
        assertThat(announced)
                .extracting(ModelVersion::version)
                .doesNotHaveDuplicates()
                .isSorted();
    }

    /**
     * A corrupt batch of 900,000 bytes, whose whole copy in Base64 would exceed the producer's 1 MiB request limit:
     * its dead letter is an excerpt with the size and hash, below kafka.deadLetterMaxBytes, and the trainer goes on.
     */
    @Test
    void anOversizedCorruptBatchBecomesABoundedDeadLetter() throws Exception {
        Topics.create(kafka.bootstrapServers(), 1, "big-batches", "big-dlq");
        byte[] corrupt = new byte[900_000];
        new java.util.SplittableRandom(3).nextBytes(corrupt);
        List<MicroBatch> good = batches(TrainerOperatorTest.streamPrefix(600), 16);
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "big-batches")) {
            producer.send(null, corrupt, 0);
            producer.send(null, MicroBatchCodec.encode(good.get(0)), 0);
            producer.flush();
        }
        JobConfig config = config("big-batches", "big-dlq");
        try (StandaloneTrainer trainer = new StandaloneTrainer(config)) {
            assertThat(trainer.run(Duration.ofSeconds(3)))
                    .as("the good batch after it")
                    .isEqualTo(1);
            assertThat(trainer.deadLetters()).isEqualTo(1);
        }
        List<byte[]> values = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "big-dlq")) {
            reader.readToEnd(Duration.ofSeconds(10), r -> values.add(r.value()));
        }
        assertThat(values).hasSize(1);
        assertThat(values.get(0).length).isLessThanOrEqualTo(config.kafka().deadLetterMaxBytes());
        DeadLetter letter = JsonCodec.fromBytes(values.get(0), DeadLetter.class);
        assertThat(letter.reason()).startsWith("not a micro-batch");
        assertThat(letter.payloadBytes()).isEqualTo(corrupt.length);
        assertThat(letter.truncated()).isTrue();
        assertThat(letter.payloadSha256())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(corrupt)));
        assertThat(letter.excerpt()).isEqualTo(java.util.Arrays.copyOf(corrupt, letter.excerpt().length));
    }

    /**
     * Well-formed batches the model cannot train on, one with an action outside model.features.actions.numActions
     * and one whose every sequence is a single event (no target), are dead-lettered with the reason; the batches
     * around them train, and the trainer never stops on them.
     */
    @Test
    void untrainableBatchesAreDeadLetteredAndTrainingGoesOn() throws Exception {
        Topics.create(kafka.bootstrapServers(), 1, "untrainable-batches", "untrainable-dlq");
        List<TrainingSequence> sequences = TrainerOperatorTest.streamPrefix(600);
        MicroBatchBuilder outOfRange = new MicroBatchBuilder();
        MicroBatchBuilder noTarget = new MicroBatchBuilder();
        for (TrainingSequence s : sequences.subList(0, 8)) {
            outOfRange.add(TrainerOperatorTest.withAction(s, 99), 20);
            noTarget.add(
                    new TrainingSequence(
                            s.userId(), new long[] {s.items()[0]}, new int[] {1}, new long[] {s.timestampsMs()[0]}, 0),
                    20);
        }
        List<MicroBatch> good = batches(sequences, 16);
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "untrainable-batches")) {
            producer.send(null, MicroBatchCodec.encode(good.get(0)), 0);
            producer.send(null, MicroBatchCodec.encode(outOfRange.build(0)), 0);
            producer.send(null, MicroBatchCodec.encode(noTarget.build(0)), 0);
            producer.send(null, MicroBatchCodec.encode(good.get(1)), 0);
            producer.flush();
        }
        try (StandaloneTrainer trainer = new StandaloneTrainer(config("untrainable-batches", "untrainable-dlq"))) {
            assertThat(trainer.run(Duration.ofSeconds(3))).isEqualTo(2);
            assertThat(trainer.deadLetters()).isEqualTo(2);
        }
        List<DeadLetter> letters = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "untrainable-dlq")) {
            reader.readToEnd(
                    Duration.ofSeconds(10), r -> letters.add(JsonCodec.fromBytes(r.value(), DeadLetter.class)));
        }
        assertThat(letters).extracting(DeadLetter::sourceOffset).containsExactly(1L, 2L);
        assertThat(letters.get(0).reason()).contains("has action 99", "model.features.actions.numActions=16");
        assertThat(letters.get(1).reason()).contains("batch has no trainable target");
    }

    private static ModelVersion latest(StandaloneTrainer trainer) {
        ModelStore versions = trainer.trainer().versions();
        return ModelStore.verify(versions.root()
                .resolve(ModelStore.directoryName(versions.latestVersion().getAsLong())));
    }
}
