package dev.hstu.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.formats.store.ModelFiles;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.serve.TopK;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HstuModelTest {

    private static final int D = 16;

    @TempDir
    Path dir;

    @Test
    void saveAndLoadGiveBitIdenticalOutputs() throws IOException {
        PackedBatch batch = TestBatches.random(new SplittableRandom(5), new int[] {6, 2, 9}, 50);
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            model.setItemRowsInUse(37);
            model.save(dir);
            try (HstuModel loaded = HstuModel.load(dir)) {
                assertThat(loaded.config()).isEqualTo(model.config());
                assertThat(loaded.itemRowsInUse()).isEqualTo(37);
                assertThat(loaded.encodeSequences(batch)).containsExactly(model.encodeSequences(batch));
                TopK[] expected = model.recommend(batch, 5, true);
                TopK[] actual = loaded.recommend(batch, 5, true);
                for (int s = 0; s < batch.size(); s++) {
                    assertThat(actual[s].items()).containsExactly(expected[s].items());
                    assertThat(actual[s].scores()).containsExactly(expected[s].scores());
                }
            }
        }
        try (HstuModel onCpu = HstuModel.load(dir, "cpu")) {
            assertThat(onCpu.config().runtime().device()).isEqualTo("cpu");
            assertThat(onCpu.itemRowsInUse()).isEqualTo(37);
        }
        assertThat(dir.resolve(ModelFiles.CONFIG)).exists();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void sameSeedGivesTheSameWeights() {
        PackedBatch batch = TestBatches.random(new SplittableRandom(5), new int[] {4}, 50);
        try (HstuModel a = HstuModel.create(TestBatches.tiny());
                HstuModel b = HstuModel.create(TestBatches.tiny())) {
            assertThat(a.encodeQueries(batch)).containsExactly(b.encodeQueries(batch));
        }
    }

    @Test
    void recommendScoresAssignedRowsByCosineAndCanExcludeSeenItems() {
        PackedBatch batch = PackedBatch.builder()
                .addEvent(3, 0, 10)
                .addEvent(4, 1, 20)
                .addEvent(5, 0, 30)
                .endSequence(0)
                .addEvent(9, 0, 10)
                .endSequence(0)
                .build();
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            model.setItemRowsInUse(12); // items 2..11
            float[] queries = model.encodeQueries(batch);
            float[] items = model.itemEmbeddings();
            assertThat(items).hasSize(10 * D);

            TopK[] all = model.recommend(batch, 100, false);
            for (int s = 0; s < 2; s++) {
                assertThat(all[s].items()).hasSize(10).doesNotHaveDuplicates();
                assertThat(Arrays.stream(all[s].items()).boxed()).allMatch(i -> i >= 2 && i < 12);
                for (int r = 0; r < all[s].size(); r++) {
                    int item = all[s].items()[r];
                    assertThat(all[s].scores()[r]).isCloseTo(dot(queries, s, items, item - 2), within(1e-5f));
                    if (r > 0) {
                        assertThat(all[s].scores()[r]).isLessThanOrEqualTo(all[s].scores()[r - 1]);
                    }
                }
            }

            TopK[] unseen = model.recommend(batch, 100, true);
            assertThat(unseen[0].items()).hasSize(7).doesNotContain(3, 4, 5);
            assertThat(unseen[1].items()).hasSize(9).doesNotContain(9);
            int[] expectedOrder =
                    Arrays.stream(all[0].items()).filter(i -> i < 3 || i > 5).toArray();
            assertThat(unseen[0].items()).containsExactly(expectedOrder);

            assertThat(model.recommend(batch, 3, false)[0].items()).containsExactly(Arrays.copyOf(all[0].items(), 3));
            assertThatThrownBy(() -> model.recommend(batch, 0, false)).hasMessage("k must be >= 1, got 0");
            assertThatThrownBy(() -> model.setItemRowsInUse(51)).hasMessageContaining("model.items.capacity=50");
        }
    }

    @Test
    void aGpuTheEngineCannotSeeIsAnErrorNotASilentCpuFallback() {
        assumeNoGpu();
        assertThatThrownBy(() -> HstuModel.create(
                        TestBatches.tiny().with("runtime.device", "gpu:0").validate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.runtime.device=gpu:0 but the PyTorch engine sees 0 GPU(s)");
    }

    private static void assumeNoGpu() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0);
    }

    private static float dot(float[] queries, int q, float[] items, int row) {
        float s = 0;
        for (int i = 0; i < D; i++) {
            s += queries[q * D + i] * items[row * D + i];
        }
        return s;
    }
}
