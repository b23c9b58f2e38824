package dev.hstu.model.tasks.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.config.RankingLossType;
import dev.hstu.model.config.RankingTaskConfig;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.PackedBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-task loss and labels against a hand computation. */
class RankingLossTest {

    private static final FeatureColumn WATCH = FeatureColumn.event("watch", FeatureColumn.ElementType.FLOAT, 1);
    private static final RankingConfig CONFIG = new RankingConfig(
            List.of(
                    RankingTaskConfig.bce("click", 1),
                    new RankingTaskConfig("watch", 0, RankingLossType.MSE, 0.5f, "watch")),
            List.of(8),
            true);

    @Test
    void bceAndMseTasksAgainstAHandComputation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {0f, 2f, -1f, 0.5f}, new Shape(2, 2));
            float[] labels = {1f, 3f, 0f, 1f};
            RankingLoss.Result result = new RankingLoss(CONFIG).compute(logits, labels);
            // click: x=0,y=1 -> ln 2 = 0.693147; x=-1,y=0 -> ln(1+e^-1) = 0.313262; mean 0.503204
            // watch: (2-3)^2 = 1, (0.5-1)^2 = 0.25; mean 0.625, weight 0.5
            float[] perTask = result.perTask().toFloatArray();
            assertThat(perTask[0]).isCloseTo(0.503204f, within(1e-5f));
            assertThat(perTask[1]).isCloseTo(0.625f, within(1e-6f));
            assertThat(result.value().getFloat()).isCloseTo(0.503204f + 0.5f * 0.625f, within(1e-5f));
            assertThat(new RankingLoss(CONFIG).metrics(result.perTask())).containsOnlyKeys("loss.click", "loss.watch");
        }
    }

    @Test
    void bceStaysFiniteForLargeLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RankingConfig one = new RankingConfig(List.of(RankingTaskConfig.bce("click", 1)), List.of(8), true);
            NDArray logits = manager.create(new float[] {200f, -200f}, new Shape(2, 1));
            // a confident right answer costs ~0, a confident wrong one its logit
            float loss = new RankingLoss(one)
                    .compute(logits, new float[] {1f, 1f})
                    .value()
                    .getFloat();
            assertThat(loss).isCloseTo(100f, within(1e-3f));
        }
    }

    @Test
    void labelsAreTheTaskBitsOfTheCandidatesActionsAndTheMseColumn() {
        PackedBatch batch = ranking(new int[] {5, 6, 7, 8}, new int[] {3, 1, 1, 0}, new float[] {0f, 0f, 4.5f, 1f}, 2);
        CandidateRows candidates = CandidateRows.of(batch, batch.maxLength());
        assertThat(candidates.events()).containsExactly(2, 3);
        assertThat(candidates.flatRows()).containsExactly(2L, 3L);
        // candidate actions 1 (click) and 0; the watch labels from the column
        assertThat(RankingLabels.of(CONFIG, batch, candidates)).containsExactly(1f, 4.5f, 0f, 1f);
    }

    @Test
    void aLabelWithBitsNoTaskHasIsRefused() {
        PackedBatch batch = ranking(new int[] {5, 6, 7}, new int[] {0, 0, 4}, new float[] {0f, 0f, 1f}, 1);
        CandidateRows candidates = CandidateRows.of(batch, batch.maxLength());
        assertThatThrownBy(() -> RankingLabels.of(CONFIG, batch, candidates))
                .hasMessageContaining("candidate event 2 (sequence 0) has action bitmask 4")
                .hasMessageContaining("outside the ranking tasks' bitmasks 1");
    }

    @Test
    void aBatchWithoutCandidatesIsRefused() {
        PackedBatch none = ranking(new int[] {5, 6}, new int[] {0, 0}, new float[] {0f, 0f}, 0);
        assertThatThrownBy(() -> CandidateRows.of(none, 2)).hasMessageContaining("has no candidates");
        PackedBatch retrieval =
                PackedBatch.of(new int[] {0, 2}, new int[] {5, 6}, new int[] {0, 0}, new long[] {1, 2}, new int[] {0});
        assertThatThrownBy(() -> CandidateRows.of(retrieval, 2)).hasMessageContaining("needs the numTargets column");
    }

    private static PackedBatch ranking(int[] items, int[] actions, float[] watch, int targets) {
        long[] times = new long[items.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = 1000L + i;
        }
        return PackedBatch.of(new int[] {0, items.length}, items, actions, times, new int[] {items.length - 1})
                .withColumn(ColumnValues.of(WATCH, watch))
                .withColumn(ColumnValues.of(FeatureColumn.NUM_TARGETS_COLUMN, new int[] {targets}));
    }
}
