package dev.hstu.model.tasks.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.NegativeSampling;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.serve.TopK;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Full softmax ({@code negativeSampling=ALL}) inside the real trainer. */
class FullSoftmaxTrainingTest {

    /** Items 2..31 in a ring: the item after i is always i+1. */
    private static final int RING = 30;

    @Test
    void trainingOnEveryItemAsANegativeLowersTheLossAndRanksTheNextItemFirst() {
        HstuConfig config = TestBatches.tiny()
                .with("task.negativeSampling", NegativeSampling.ALL)
                .with("optimizer.learningRate", 1e-2f)
                .with("stu.dropout", 0.1f)
                .validate();
        SplittableRandom random = new SplittableRandom(3);
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            float first = 0;
            float last = 0;
            for (int step = 0; step < 80; step++) {
                StepResult result = trainer.step(ring(random, 16, 10));
                assertThat(result.skipped()).isFalse();
                assertThat(Float.isFinite(result.loss())).isTrue();
                first += step < 5 ? result.loss() / 5 : 0;
                last += step >= 75 ? result.loss() / 5 : 0;
            }
            assertThat(last).as("loss %s -> %s", first, last).isLessThan(first * 0.3f);
            // the untrained loss is near log of the classes (30 items), not of a sample of them
            assertThat(first).isGreaterThan((float) Math.log(RING) * 0.8f);

            PackedBatch probe = ring(new SplittableRandom(11), 40, 8);
            TopK[] top = model.recommend(probe, 1, false);
            int hits = 0;
            for (int s = 0; s < probe.size(); s++) {
                int lastItem = probe.items()[probe.offsets()[s + 1] - 1];
                hits += top[s].items()[0] == next(lastItem) ? 1 : 0;
            }
            assertThat(hits).as("top-1 hits out of 40").isGreaterThanOrEqualTo(36);
        }
    }

    private static PackedBatch ring(SplittableRandom random, int sequences, int length) {
        PackedBatch.Builder builder = PackedBatch.builder();
        for (int s = 0; s < sequences; s++) {
            int item = 2 + random.nextInt(RING);
            long ts = 1_700_000_000L + random.nextInt(1000);
            for (int p = 0; p < length; p++) {
                builder.addEvent(item, random.nextInt(4), ts);
                item = next(item);
                ts += 1 + random.nextInt(5000);
            }
            builder.endSequence(0);
        }
        return builder.build();
    }

    private static int next(int item) {
        return item == RING + 1 ? 2 : item + 1;
    }
}
