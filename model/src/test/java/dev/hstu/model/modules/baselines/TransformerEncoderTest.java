package dev.hstu.model.modules.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerEncoderTest {

    private static final int D = 16;

    private static HstuConfig transformer() {
        return TestBatches.tiny().with("encoder.type", EncoderType.TRANSFORMER).validate();
    }

    @Test
    void noFutureLeakageAndPaddingDoesNotChangeOutputs() {
        try (HstuModel model = HstuModel.create(transformer())) {
            int[] items = {5, 9, 13, 2, 40, 7};
            int[] actions = {0, 1, 2, 3, 0, 1};
            long[] ts = {100, 160, 400, 9000, 9100, 50_000};
            float[] base = model.encodeSequences(TestBatches.single(items, actions, ts));
            int[] items2 = items.clone();
            items2[4] = 44;
            float[] other = model.encodeSequences(TestBatches.single(items2, actions, ts));
            assertThat(Arrays.copyOf(other, 4 * D)).containsExactly(Arrays.copyOf(base, 4 * D), within(1e-6f));
            assertThat(Arrays.copyOfRange(other, 4 * D, 5 * D)).isNotEqualTo(Arrays.copyOfRange(base, 4 * D, 5 * D));

            // the same sequence padded in a batch next to a longer one gives the same outputs
            PackedBatch batch = PackedBatch.builder()
                    .addSequence(items, actions, ts, 0, 3, 0)
                    .addSequence(items, actions, ts, 0, 6, 0)
                    .build();
            float[] both = model.encodeSequences(batch);
            assertThat(Arrays.copyOf(both, 3 * D)).containsExactly(Arrays.copyOf(base, 3 * D), within(1e-5f));
        }
    }

    @Test
    void trainsSavesAndLoadsWithIdenticalOutputs(@TempDir Path dir) throws Exception {
        PackedBatch batch = TestBatches.random(new SplittableRandom(3), new int[] {8, 12, 5}, 50);
        try (HstuModel model = HstuModel.create(transformer());
                HstuTrainer trainer = new HstuTrainer(model)) {
            float first = Float.NaN;
            StepResult last = null;
            for (int i = 0; i < 30; i++) {
                last = trainer.step(batch);
                if (i == 0) {
                    first = last.loss();
                }
            }
            assertThat(last.loss()).isLessThan(first);
            model.save(dir);
            float[] before = model.encodeQueries(batch);
            try (HstuModel loaded = HstuModel.load(dir)) {
                assertThat(loaded.config().encoder().type()).isEqualTo(EncoderType.TRANSFORMER);
                assertThat(loaded.encodeQueries(batch)).containsExactly(before);
            }
        }
    }

    @Test
    void stuLayersAreNotAvailableOnATransformer() {
        try (HstuModel model = HstuModel.create(transformer())) {
            assertThatThrownBy(() -> model.encoder().stu()).hasMessageContaining("encoder.type=TRANSFORMER");
        }
    }
}
