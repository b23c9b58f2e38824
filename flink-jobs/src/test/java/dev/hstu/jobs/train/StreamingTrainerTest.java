package dev.hstu.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.store.ModelDirectoryLock;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.batch.MicroBatchBuilder;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MultimodalCatalog;
import dev.hstu.model.train.StreamingTrainer;
import dev.hstu.model.train.TrainerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingTrainerTest {

    @TempDir
    Path models;

    /** A second writer on the model directory is refused while a trainer has it open, and admitted once closed. */
    @Test
    void holdsTheModelDirectoryWhileOpenAndReleasesItOnClose() throws Exception {
        HstuConfig config = HstuConfig.defaults()
                .with("items.capacity", 100)
                .with("encoder.embeddingDim", 16)
                .with("stu.numHeads", 2)
                .with("stu.numLayers", 1)
                .with("encoder.maxSeqLen", 20)
                .with("task.numNegatives", 16)
                .validate();
        TrainerSettings settings = ConfigLoader.fromYaml("", Map.of("training.modelDir", models.toString()))
                .training()
                .trainer();
        try (StreamingTrainer trainer = StreamingTrainer.open(config, settings, 20, null)) {
            assertThatThrownBy(() -> ModelDirectoryLock.acquire(models, "hstu train", Duration.ZERO))
                    .isInstanceOf(ModelDirectoryLock.LockedException.class)
                    .hasMessageContaining(
                            "streaming trainer, pid " + ProcessHandle.current().pid());
            trainer.publish(false, null, null);
        }
        try (ModelDirectoryLock next = ModelDirectoryLock.acquire(models, "hstu train", Duration.ZERO)) {
            assertThat(models.resolve(ModelDirectoryLock.FILE)).content().startsWith("hstu train");
        }
    }

    @Test
    void repeatedNonFiniteStepsRollBackToTheNewestVersion() throws Exception {
        // A learning rate no model survives: the first update overflows the weights, and every later step is
        // non-finite and skipped.
        HstuConfig exploding = HstuConfig.defaults()
                .with("items.capacity", 12000)
                .with("encoder.embeddingDim", 16)
                .with("stu.numHeads", 2)
                .with("stu.numLayers", 1)
                .with("encoder.maxSeqLen", 20)
                .with("task.numNegatives", 16)
                .with("optimizer.learningRate", 1e30f)
                .with("optimizer.warmupSteps", 1)
                .with("optimizer.gradClipNorm", 1e30f)
                .validate();
        TrainerSettings settings = ConfigLoader.fromYaml(
                        "",
                        Map.of(
                                "training.modelDir",
                                models.toString(),
                                "training.maxSkippedSteps",
                                "3",
                                "training.warmStart",
                                "false"))
                .training()
                .trainer();
        List<TrainingSequence> sequences = TrainerOperatorTest.streamPrefix(1500);
        try (StreamingTrainer trainer = StreamingTrainer.open(exploding, settings, 20, null)) {
            ModelVersion good = trainer.publish(false, null, null);
            int batches = 0;
            for (int i = 0; i + 16 <= sequences.size() && trainer.rollbacks() == 0; i += 16) {
                trainer.train(batch(sequences.subList(i, i + 16)));
                batches++;
            }

            assertThat(trainer.skippedSteps())
                    .as("the exploding rate produced non-finite steps")
                    .isPositive();
            assertThat(trainer.rollbacks()).as("after %d batches", batches).isEqualTo(1);
            assertThat(trainer.stepCount()).isEqualTo(good.step());
        }
    }

    /**
     * Items get rows as they arrive; their multimodal vectors (a file for half of them) follow into the tables the
     * model trains with, and a model whose multimodal features have no file refuses to start.
     */
    @Test
    void multimodalVectorsFollowTheItemsIntoTheTablesAsTheyArrive() throws Exception {
        HstuConfig config = HstuConfig.defaults()
                .with("items.capacity", 12000)
                .with("encoder.embeddingDim", 16)
                .with("stu.numHeads", 2)
                .with("stu.numLayers", 1)
                .with("encoder.maxSeqLen", 20)
                .with("task.numNegatives", 16)
                .with("features.multimodalDims", Map.of(81, 4))
                .validate();
        TrainerSettings settings = ConfigLoader.fromYaml(
                        "", Map.of("training.modelDir", models.toString(), "training.warmStart", "false"))
                .training()
                .trainer();
        List<TrainingSequence> sequences = TrainerOperatorTest.streamPrefix(400);
        Set<Long> items = new TreeSet<>();
        sequences.forEach(s -> Arrays.stream(s.items()).forEach(items::add));
        Path file = models.resolve("emb_81_4.jsonl");
        StringBuilder lines = new StringBuilder();
        int withVector = 0;
        for (long item : items) {
            if (item % 2 == 0) {
                lines.append("{\"anonymous_cid\":")
                        .append(item)
                        .append(",\"emb\":[1,")
                        .append(item % 7)
                        .append(",0,-1]}\n");
                withVector++;
            }
        }
        Files.writeString(file, lines);
        MultimodalCatalog catalog = MultimodalCatalog.load(Map.of(81, 4), Map.of(81, file));

        try (StreamingTrainer trainer = StreamingTrainer.open(config, settings, 20, null, catalog)) {
            assertThat(trainer.multimodalCoveredRows()).isZero();
            for (int i = 0; i + 16 <= sequences.size(); i += 16) {
                assertThat(Float.isFinite(trainer.train(batch(sequences.subList(i, i + 16)))
                                .loss()))
                        .isTrue();
            }
            assertThat(trainer.multimodalCoveredRows()).isEqualTo(withVector);
        }
        assertThatThrownBy(() -> StreamingTrainer.open(config, settings, 20, null, null))
                .hasMessageContaining("needs its item embeddings: set features.multimodalFiles");
    }

    private static MicroBatch batch(List<TrainingSequence> sequences) {
        MicroBatchBuilder builder = new MicroBatchBuilder();
        sequences.forEach(s -> builder.add(s, 20));
        return builder.build(0);
    }
}
