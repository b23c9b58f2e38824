package dev.hstu.jobs.train;

import dev.hstu.jobs.batch.MicroBatch;
import dev.hstu.jobs.batch.MicroBatchBuilder;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.TrainingSettings;
import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.config.HstuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchTrainerTest {

    @TempDir
    Path models;

    @Test
    void repeatedNonFiniteStepsRollBackToTheNewestVersion() throws Exception {
        // A learning rate no model survives: the first update overflows the weights, and every later step is
        // non-finite and skipped.
        HstuConfig exploding = HstuConfig.builder().itemCapacity(12000).embeddingDim(16).numHeads(2).numLayers(1)
                .maxSeqLen(20).numNegatives(16).learningRate(1e30f).warmupSteps(1).gradClipNorm(1e30f).build();
        TrainingSettings settings = ConfigLoader.fromYaml("", Map.of("training.modelDir", models.toString(),
                "training.maxSkippedSteps", "3", "training.warmStart", "false")).training();
        List<TrainingSequence> sequences = TrainerOperatorTest.streamPrefix(1500);
        try (BatchTrainer trainer = BatchTrainer.open(exploding, settings, 20, null)) {
            ModelVersion good = trainer.publish(false, null, null);
            int batches = 0;
            for (int i = 0; i + 16 <= sequences.size() && trainer.rollbacks() == 0; i += 16) {
                trainer.train(batch(sequences.subList(i, i + 16)));
                batches++;
            }

            assertThat(trainer.skippedSteps()).as("the exploding rate produced non-finite steps").isPositive();
            assertThat(trainer.rollbacks()).as("after %d batches", batches).isEqualTo(1);
            assertThat(trainer.stepCount()).isEqualTo(good.step());
        }
    }

    private static MicroBatch batch(List<TrainingSequence> sequences) {
        MicroBatchBuilder builder = new MicroBatchBuilder();
        sequences.forEach(s -> builder.add(s, 20));
        return builder.build(0);
    }
}
