package dev.hstu.model.tasks.ranking;

import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.config.RankingLossType;
import dev.hstu.model.config.RankingTaskConfig;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.PackedBatch;

/** The candidates' labels of a ranking batch, per task: a BCE task's bit test of the action, an MSE task's column. */
public final class RankingLabels {

    private RankingLabels() {}

    /**
     * @param config the tasks
     * @param batch a ranking batch
     * @param candidates its candidates
     * @return {@code candidates * tasks} labels, candidate-major
     * @throws IllegalArgumentException if a candidate's action has a bit no task labels, or an MSE task's label
     *     column is missing
     */
    public static float[] of(RankingConfig config, PackedBatch batch, CandidateRows candidates) {
        int tasks = config.tasks().size();
        int allowed = config.labelBits();
        float[][] columns = new float[tasks][];
        for (int t = 0; t < tasks; t++) {
            RankingTaskConfig task = config.tasks().get(t);
            if (task.type() == RankingLossType.MSE) {
                columns[t] = labelColumn(batch, task);
            }
        }
        float[] labels = new float[candidates.size() * tasks];
        for (int c = 0; c < candidates.size(); c++) {
            int event = candidates.events()[c];
            int action = batch.actions()[event];
            if ((action & ~allowed) != 0) {
                throw new IllegalArgumentException("candidate event " + event + " (sequence "
                        + candidates.sequences()[c] + ") has action bitmask " + action
                        + " with bits outside the ranking tasks' bitmasks " + allowed);
            }
            for (int t = 0; t < tasks; t++) {
                RankingTaskConfig task = config.tasks().get(t);
                labels[c * tasks + t] =
                        task.type() == RankingLossType.BCE ? (task.positive(action) ? 1f : 0f) : columns[t][event];
            }
        }
        return labels;
    }

    private static float[] labelColumn(PackedBatch batch, RankingTaskConfig task) {
        ColumnValues values = batch.column(task.labelColumn());
        FeatureColumn expected = FeatureColumn.event(task.labelColumn(), FeatureColumn.ElementType.FLOAT, 1);
        if (values == null || !values.column().equals(expected)) {
            throw new IllegalArgumentException("ranking task " + task.name() + " reads its label from column "
                    + expected + ", but the batch has " + (values == null ? "none" : values.column()));
        }
        return values.floats();
    }
}
