package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PackedBatchDenseFeaturesTest {

    @Test
    void aBatchWithoutDenseFeaturesHasWidthZeroAndNoArray() {
        PackedBatch batch =
                PackedBatch.builder().addEvent(2, 0, 1).endSequence(0).build();
        assertThat(batch.denseDim()).isZero();
        assertThat(batch.denseFeatures()).isNull();
        assertThat(PackedBatch.of(new int[] {0, 1}, new int[] {2}, new int[] {0}, new long[] {0}, new int[] {0})
                        .denseDim())
                .isZero();
    }

    @Test
    void theBuilderKeepsFeaturesFlatAndEventMajorAcrossGrowthAndReset() {
        PackedBatch.Builder builder = PackedBatch.builder(2);
        builder.addEvent(2, 0, 1, new float[] {9f, 0.5f, 1.5f}, 1)
                .addEvent(3, 1, 2, new float[] {2f, 2.5f}, 0)
                .endSequence(0);
        float[] src = new float[600];
        int[] items = new int[300];
        int[] actions = new int[300];
        long[] ts = new long[300];
        for (int i = 0; i < 300; i++) {
            items[i] = 2 + i;
            ts[i] = i;
            src[2 * i] = i;
            src[2 * i + 1] = -i;
        }
        builder.addSequence(items, actions, ts, src, 10, 290, 0); // grows past the initial 256 events
        PackedBatch batch = builder.build();
        assertThat(batch.denseDim()).isEqualTo(2);
        assertThat(batch.denseFeatures()).hasSize(292 * 2);
        assertThat(batch.denseFeatures()).startsWith(0.5f, 1.5f, 2f, 2.5f, 10f, -10f);
        assertThat(batch.denseFeatures()).endsWith(299f, -299f);

        PackedBatch again = builder.reset()
                .addEvent(4, 0, 3, new float[] {7f, 8f}, 0)
                .endSequence(0)
                .build();
        assertThat(again.denseFeatures()).containsExactly(7f, 8f);
    }

    @Test
    void everyEventOfADenseBuilderNeedsFeaturesAndAPlainBuilderTakesNone() {
        assertThatThrownBy(() -> PackedBatch.builder(2).addEvent(2, 0, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("denseDim=2");
        assertThatThrownBy(() -> PackedBatch.builder().addEvent(2, 0, 1, new float[] {1f}, 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PackedBatch.builder(-1)).hasMessageContaining("denseDim must be >= 0");
        PackedBatch.Builder builder = PackedBatch.builder(1);
        assertThatThrownBy(() -> builder.addEvent(2, 0, 1, new float[] {Float.NaN}, 0))
                .hasMessageContaining("must be finite, got NaN");
        assertThat(builder.events()).as("a rejected event is not appended").isZero();
    }

    @Test
    void ofChecksTheFeatureArray() {
        int[] offsets = {0, 2};
        int[] items = {2, 3};
        int[] actions = {0, 0};
        long[] ts = {0, 1};
        int[] first = {0};
        assertThat(PackedBatch.of(offsets, items, actions, ts, first, new float[] {1, 2, 3, 4}, 2)
                        .denseFeatures())
                .containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> PackedBatch.of(offsets, items, actions, ts, first, new float[] {1, 2, 3}, 2))
                .hasMessageContaining("events*denseDim = 2*2 floats, got 3");
        assertThatThrownBy(() -> PackedBatch.of(offsets, items, actions, ts, first, null, 2))
                .hasMessageContaining("got null");
        assertThatThrownBy(() -> PackedBatch.of(offsets, items, actions, ts, first, new float[0], 0))
                .hasMessageContaining("denseDim must be >= 1");
        assertThatThrownBy(() -> PackedBatch.of(
                        offsets, items, actions, ts, first, new float[] {1, 2, Float.POSITIVE_INFINITY, 4}, 2))
                .hasMessageContaining("event 1, feature 0 must be finite");
    }
}
