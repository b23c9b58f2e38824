package dev.hstu.model.config;

/** Where a training step's sampled (not in-batch) negatives come from. */
public enum NegativeSampling {
    /** Uniformly over the item rows in use: cheap, but mostly easy, rarely seen items. */
    UNIFORM,
    /**
     * In proportion to how often each item was a training target recently (a window of the last
     * {@code popularityWindow} targets): harder negatives that match the serving distribution of
     * popular items; pair with {@code logQCorrection} so popular items are not over-penalised.
     */
    POPULARITY
}
