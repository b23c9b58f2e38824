package dev.hstu.model.train;

import dev.hstu.model.config.IdDropoutConfig;

/**
 * The item-ID dropout rate of each step: {@code start} at step 0, decaying linearly to 0
 * at step {@code annealSteps} and 0 after, so the model learns from the other input
 * fields early and uses the IDs fully once it has.
 */
public final class IdDropoutSchedule {

    private final float start;
    private final long annealSteps;

    /** @param config the item-ID dropout; null: none */
    public IdDropoutSchedule(IdDropoutConfig config) {
        this(config == null ? 0f : config.start(), config == null ? 0L : config.annealSteps());
    }

    /**
     * @param start rate at step 0, in {@code [0, 1)}
     * @param annealSteps steps until the rate reaches 0 ({@code >= 1} when {@code start > 0})
     */
    public IdDropoutSchedule(float start, long annealSteps) {
        this.start = start;
        this.annealSteps = annealSteps;
    }

    /**
     * @param completedSteps optimiser updates before the step
     * @return the step's rate
     */
    public float rateAt(long completedSteps) {
        if (start <= 0f || completedSteps >= annealSteps) {
            return 0f;
        }
        return (float) (start * (1.0 - (double) completedSteps / annealSteps));
    }
}
