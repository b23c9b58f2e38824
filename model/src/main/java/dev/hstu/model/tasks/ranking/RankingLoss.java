package dev.hstu.model.tasks.ranking;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.config.RankingLossType;
import dev.hstu.model.config.RankingTaskConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranking loss: per task the mean over candidates of binary cross-entropy with logits (or squared error for an
 * MSE task), summed over tasks with their weights. Computed in float32 whatever the model's float type.
 */
public final class RankingLoss {

    private final List<RankingTaskConfig> tasks;

    /** @param config the tasks */
    public RankingLoss(RankingConfig config) {
        this.tasks = config.tasks();
    }

    /**
     * The result of one loss computation.
     *
     * @param value the scalar loss
     * @param perTask {@code [tasks]} each task's unweighted mean loss
     */
    public record Result(NDArray value, NDArray perTask) {}

    /**
     * @param logits {@code [C, tasks]} tower outputs
     * @param labels {@code C * tasks} labels, candidate-major: 0 or 1 for a BCE task, the value of an MSE task
     * @return the loss and its per-task parts
     */
    public Result compute(NDArray logits, float[] labels) {
        NDManager manager = logits.getManager();
        int t = tasks.size();
        float[] bce = new float[t];
        float[] weights = new float[t];
        for (int i = 0; i < t; i++) {
            bce[i] = tasks.get(i).type() == RankingLossType.BCE ? 1f : 0f;
            weights[i] = tasks.get(i).weight();
        }
        NDArray x = logits.toType(DataType.FLOAT32, false);
        NDArray y = manager.create(labels, new Shape(labels.length / t, t));
        NDArray isBce = manager.create(bce);
        // max(x, 0) - x y + log(1 + exp(-|x|)): exact for any logit, never overflows
        NDArray crossEntropy =
                x.maximum(0f).sub(x.mul(y)).add(x.abs().neg().exp().add(1f).log());
        NDArray squared = x.sub(y).square();
        NDArray perElement = crossEntropy.mul(isBce).add(squared.mul(isBce.neg().add(1f)));
        NDArray perTask = perElement.mean(new int[] {0});
        return new Result(perTask.mul(manager.create(weights)).sum(), perTask);
    }

    /**
     * @param perTask {@code [tasks]} as {@link Result#perTask()}
     * @return {@code loss.<task name>} to each task's scalar loss
     */
    public Map<String, NDArray> metrics(NDArray perTask) {
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            metrics.put("loss." + tasks.get(i).name(), perTask.get(i));
        }
        return metrics;
    }
}
