package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.LeaveOneOutSplit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EpochTrainerDenseFeaturesTest {

    /**
     * Each event's item is the previous item plus a user-specific step, also carried as the event's one dense
     * feature. The pattern is learnable, so training through the dense-feature batches (windows, evaluation
     * histories) must beat chance by far; a batch that lost its features would fail the model's input check.
     */
    @Test
    void epochsTrainAndEvaluateOnDataThatCarriesDenseFeatures() throws Exception {
        ItemVocabulary vocabulary = new ItemVocabulary(1_000);
        UserSequences.Collector collector = new UserSequences.Collector();
        SplittableRandom random = new SplittableRandom(3);
        int items = 40;
        for (int u = 0; u < 200; u++) {
            int step = 1 + random.nextInt(3);
            int item = random.nextInt(items);
            for (int i = 0; i < 12; i++) {
                collector.add(u, 500 + item, 0, 1_000L + i, new float[] {step});
                item = (item + step) % items;
            }
        }
        UserSequences sequences = collector.build(vocabulary, vocabulary::indexOrAssign);
        LeaveOneOutSplit split = new LeaveOneOutSplit(sequences);
        int epochs = 15;
        HstuConfig config = HstuConfig.defaults()
                .with("items.capacity", vocabulary.size())
                .with("encoder.embeddingDim", 32)
                .with("stu.numLayers", 1)
                .with("encoder.maxSeqLen", 12)
                .with("stu.dropout", 0f)
                .with("optimizer.learningRate", 0.01f)
                .with("optimizer.warmupSteps", 5)
                .with("optimizer.totalSteps", (long) EpochTrainer.stepsPerEpoch(split, 32, 12, 0) * epochs + 1)
                .with("task.numNegatives", 32)
                .with("features.denseDim", 1)
                .with("runtime.seed", 5)
                .validate();

        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            EpochTrainer.Outcome outcome = new EpochTrainer(new EpochTrainer.Options(epochs, 32, 0, 64, false, 5))
                    .run(trainer, split, null, null);

            assertThat(outcome.epochs()).hasSize(epochs);
            assertThat(outcome.epochs().get(epochs - 1).meanLoss())
                    .isLessThan(outcome.epochs().get(0).meanLoss());
            // 40 items: chance is 0.25 HR@10
            assertThat(outcome.best().test().users()).isEqualTo(200);
            assertThat(outcome.best().test().hr10()).isGreaterThan(0.6);
        }
    }
}
