package dev.hstu.model.tasks.retrieval;

import dev.hstu.model.config.RetrievalConfig;
import dev.hstu.model.data.PackedBatch;

/**
 * Per-target softmax temperature and loss weight, chosen by whether the target's event was a click
 * or an exposure only (the action-aware InfoNCE loss).
 *
 * @param inverseTemperature per target, {@code 1 / temperature} of its click or exposure class
 * @param weight per target, its weight in the mean loss
 */
public record TargetScaling(float[] inverseTemperature, float[] weight) {

    /**
     * @param batch the step's batch
     * @param targets its targets
     * @param task the click/exposure temperatures and weights
     * @return one temperature and weight per target
     */
    public static TargetScaling of(PackedBatch batch, TrainingTargets targets, RetrievalConfig task) {
        float clickInverse = 1f / task.temperatureOfClicks();
        float exposureInverse = 1f / task.temperatureOfExposures();
        int[] actions = batch.actions();
        int[] events = targets.targetEvents();
        float[] inverse = new float[events.length];
        float[] weight = new float[events.length];
        for (int t = 0; t < events.length; t++) {
            boolean click = Clicks.isClick(actions[events[t]]);
            inverse[t] = click ? clickInverse : exposureInverse;
            weight[t] = click ? task.clickTargetWeight() : task.exposureTargetWeight();
        }
        return new TargetScaling(inverse, weight);
    }
}
