package dev.hstu.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.config.TrainingSettings;
import dev.hstu.jobs.demo.RatingsLog;
import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.jobs.sequence.UserSequence;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import dev.hstu.sink.DeadLetter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer operator on the first training sequences of the real MovieLens stream. */
class TrainerOperatorTest {

    private static final int MAX_LENGTH = 20;
    private static final int STRIDE = 4;
    private static final HstuConfig MODEL = HstuConfig.defaults()
            .with("items.capacity", 12000)
            .with("encoder.embeddingDim", 16)
            .with("stu.numHeads", 2)
            .with("stu.numLayers", 1)
            .with("encoder.maxSeqLen", MAX_LENGTH)
            .with("task.numNegatives", 32)
            .with("optimizer.warmupSteps", 5)
            .validate();

    @TempDir
    Path models;

    /** The training sequences the sequence function would emit for the first {@code events} events. */
    static List<TrainingSequence> streamPrefix(int events) {
        RatingsLog log = RatingsLog.read(Path.of("..", "data", "ml-latest-small", "ratings.csv"));
        Map<Long, UserSequence> users = new HashMap<>();
        List<TrainingSequence> out = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            UserSequence s = users.computeIfAbsent(log.users[i], u -> new UserSequence());
            s.add(log.items[i], log.ratings[i] >= 4 ? 1 : 0, log.timestampsMs[i], MAX_LENGTH);
            if (s.pending >= STRIDE) {
                TrainingSequence t = TrainingSequence.of(log.users[i], s);
                if (t != null) {
                    out.add(t);
                    s.pending = 0;
                }
            }
        }
        return out;
    }

    private OneInputStreamOperatorTestHarness<TrainingSequence, ModelVersion> harness() throws Exception {
        return harness(MODEL, false);
    }

    private OneInputStreamOperatorTestHarness<TrainingSequence, ModelVersion> harness(
            HstuConfig model, boolean warmStart) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new TrainerOperator(
                model,
                new TrainingSettings(16, 5, 600_000L, models.toString(), 2, "new", warmStart, "in-job", 1000L, 5, 0),
                MAX_LENGTH));
    }

    private static ModelVersion lastOf(OneInputStreamOperatorTestHarness<TrainingSequence, ModelVersion> h) {
        List<ModelVersion> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }

    /** The same sequence with every action replaced by {@code action}. */
    static TrainingSequence withAction(TrainingSequence s, int action) {
        int[] actions = new int[s.length()];
        java.util.Arrays.fill(actions, action);
        return new TrainingSequence(s.userId(), s.items(), actions, s.timestampsMs(), s.firstTarget());
    }

    private static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<TrainingSequence, ?> h) {
        List<DeadLetter> out = new ArrayList<>();
        var records = h.getSideOutput(TrainerOperator.DEAD_LETTERS);
        if (records != null) {
            for (StreamRecord<DeadLetter> r : records) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    /**
     * A batch with an action outside model.features.actions.numActions is well-formed but untrainable: it becomes
     * a dead letter carrying the batch and the reason, and the batches before and after it train as usual.
     */
    @Test
    void aBatchWithAnActionOutsideTheModelIsDeadLetteredAndTrainingGoesOn() throws Exception {
        List<TrainingSequence> sequences = streamPrefix(1500);
        try (var h = harness()) {
            h.open();
            for (TrainingSequence s : sequences.subList(0, 16)) {
                h.processElement(s, 0);
            }
            for (TrainingSequence s : sequences.subList(16, 32)) {
                h.processElement(withAction(s, 40), 0);
            }
            for (TrainingSequence s : sequences.subList(32, 48)) {
                h.processElement(s, 0);
            }
            h.endInput();

            List<DeadLetter> letters = deadLetters(h);
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).reason())
                    .startsWith("untrainable micro-batch of 16 sequences (users ")
                    .contains("has action 40", "model.features.actions.numActions=16");
            MicroBatch refused = MicroBatchCodec.decode(letters.get(0).excerpt());
            assertThat(refused.actions()).containsOnly(40);
            assertThat(lastOf(h).step()).as("the batches around it trained").isEqualTo(2);
        }
    }

    /**
     * With an item table of one row, every target but that item's is out of vocabulary: the task finds no trainable
     * target, and each such batch is dead-lettered with that reason instead of failing the job.
     */
    @Test
    void batchesWhoseTargetsAreAllOutOfVocabularyAreDeadLettered() throws Exception {
        HstuConfig tiny = MODEL.with("items.capacity", 3).validate();
        try (var h = harness(tiny, false)) {
            h.open();
            for (TrainingSequence s : streamPrefix(400).subList(0, 32)) {
                h.processElement(s, 0);
            }
            h.endInput();

            List<DeadLetter> letters = deadLetters(h);
            assertThat(letters).isNotEmpty();
            assertThat(letters).allSatisfy(l -> assertThat(l.reason()).contains("batch has no trainable target"));
            assertThat(lastOf(h).finalVersion())
                    .as("the end of input still publishes")
                    .isTrue();
        }
    }

    @Test
    void aJobWithoutCheckpointStateWarmStartsFromTheNewestVersion() throws Exception {
        List<TrainingSequence> sequences = streamPrefix(1500);
        ModelVersion first;
        try (var h = harness(MODEL, true)) {
            h.open();
            for (TrainingSequence s : sequences) {
                h.processElement(s, 0);
            }
            h.endInput();
            first = lastOf(h);
        }
        try (var second = harness(MODEL, true)) {
            second.open();
            for (TrainingSequence s : sequences) {
                second.processElement(s, 0);
            }
            second.endInput();

            ModelVersion next = lastOf(second);
            assertThat(next.version()).isGreaterThan(first.version());
            assertThat(next.step())
                    .as("steps continue from the warm-start version")
                    .isGreaterThan(first.step());
            assertThat(next.items()).as("the item vocabulary carries over").isEqualTo(first.items());
        }
    }

    @Test
    void warmStartRefusesAVersionOfAnotherArchitecture() throws Exception {
        try (var h = harness(MODEL, true)) {
            h.open();
            for (TrainingSequence s : streamPrefix(400)) {
                h.processElement(s, 0);
            }
            h.endInput();
        }
        HstuConfig wider = MODEL.with("encoder.embeddingDim", 32).validate();
        try (var other = harness(wider, true)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(other::open)
                    .hasMessageContaining("training.warmStart")
                    .hasMessageContaining("another model configuration");
        }
    }

    @Test
    void trainsEveryTargetOnceAndPublishesVersionsWithFiniteLoss() throws Exception {
        List<TrainingSequence> sequences = streamPrefix(4000);
        long targets = sequences.stream()
                .mapToLong(s -> s.length() - 1 - s.firstTarget())
                .sum();
        try (var h = harness()) {
            h.open();
            for (TrainingSequence s : sequences) {
                h.processElement(s, 0);
            }
            h.endInput();

            List<ModelVersion> versions = h.extractOutputValues();
            assertThat(versions).isNotEmpty();
            ModelVersion last = versions.get(versions.size() - 1);
            assertThat(last.finalVersion()).isTrue();
            assertThat(versions).allSatisfy(v -> assertThat(v.meanLoss()).isFinite());
            assertThat(last.trainedTargets()).isEqualTo(targets);
            assertThat(ModelStore.verify(Path.of(last.path()))).isEqualTo(last);
        }
    }

    @Test
    void aSlowTrainerBuffersAtMostOneBatchAndPushesBackInstead() throws Exception {
        // The trainer trains synchronously inside processElement: while it works, the task reads nothing more and
        // Flink's flow control holds the sources back, so a trainer slower than the stream never piles up input.
        TrainerOperator operator = new TrainerOperator(
                MODEL,
                new TrainingSettings(16, 5, 600_000L, models.toString(), 2, "new", false, "in-job", 1000L, 5, 0),
                MAX_LENGTH);
        int maxPending = 0;
        try (var h = new OneInputStreamOperatorTestHarness<TrainingSequence, ModelVersion>(operator)) {
            h.open();
            for (TrainingSequence s : streamPrefix(1500)) {
                h.processElement(s, 0);
                maxPending = Math.max(maxPending, operator.pendingSequences());
            }
        }
        assertThat(maxPending).isLessThan(16);
    }

    @Test
    void aShuffleBufferHoldsAtMostItsSizeAndTrainsEveryTargetOnce() throws Exception {
        List<TrainingSequence> sequences = streamPrefix(4000);
        long targets = sequences.stream()
                .mapToLong(s -> s.length() - 1 - s.firstTarget())
                .sum();
        TrainerOperator operator = new TrainerOperator(
                MODEL,
                new TrainingSettings(16, 5, 600_000L, models.toString(), 2, "new", false, "in-job", 1000L, 5, 64),
                MAX_LENGTH);
        int maxPending = 0;
        try (var h = new OneInputStreamOperatorTestHarness<TrainingSequence, ModelVersion>(operator)) {
            h.open();
            for (TrainingSequence s : sequences) {
                h.processElement(s, 0);
                maxPending = Math.max(maxPending, operator.pendingSequences());
            }
            h.endInput();

            assertThat(maxPending).isEqualTo(63);
            assertThat(operator.pendingSequences()).isZero();
            ModelVersion last = lastOf(h);
            assertThat(last.finalVersion()).isTrue();
            assertThat(last.trainedTargets()).isEqualTo(targets);
            assertThat(last.step()).isEqualTo((sequences.size() + 15) / 16);
        }
    }

    @Test
    void restoreResumesFromTheCheckpointWithPendingSequences() throws Exception {
        List<TrainingSequence> sequences = streamPrefix(2000);
        int half = sequences.size() / 2 + 3;
        OperatorSubtaskState snapshot;
        long stepAtSnapshot;
        try (var h = harness()) {
            h.open();
            for (TrainingSequence s : sequences.subList(0, half)) {
                h.processElement(s, 0);
            }
            snapshot = h.snapshot(1L, 1L);
            stepAtSnapshot = h.extractOutputValues().isEmpty()
                    ? 0
                    : h.extractOutputValues()
                            .get(h.extractOutputValues().size() - 1)
                            .step();
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            for (TrainingSequence s : sequences.subList(half, sequences.size())) {
                restored.processElement(s, 0);
            }
            restored.endInput();

            ModelVersion last = restored.extractOutputValues()
                    .get(restored.extractOutputValues().size() - 1);
            long targets = sequences.stream()
                    .mapToLong(s -> s.length() - 1 - s.firstTarget())
                    .sum();
            assertThat(last.step()).isGreaterThan(stepAtSnapshot);
            assertThat(last.trainedTargets())
                    .as("no target lost or trained twice across the restore")
                    .isEqualTo(targets);
        }
    }
}
