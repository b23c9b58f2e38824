package dev.hstu.model.train;

import dev.hstu.model.config.OptimizerConfig;

/**
 * Linear warm-up from 0 to the peak rate over {@code warmupSteps}, then either constant ({@code
 * totalSteps == 0}, the streaming default) or a cosine decay reaching 0 at {@code totalSteps} and
 * staying there.
 */
public final class LearningRateSchedule {

    private final float peak;
    private final int warmupSteps;
    private final long totalSteps;

    /** @param config trainer settings */
    public LearningRateSchedule(OptimizerConfig config) {
        this.peak = config.learningRate();
        this.warmupSteps = config.warmupSteps();
        this.totalSteps = config.totalSteps();
    }

    /**
     * @param step 1-based index of the update about to be applied
     * @return its learning rate
     */
    public float at(long step) {
        if (step <= warmupSteps) {
            return peak * step / warmupSteps;
        }
        if (totalSteps == 0) {
            return peak;
        }
        if (step >= totalSteps) {
            return 0f;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return (float) (peak * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
