package dev.hstu.model.config;

/** Where a training step's negatives come from. */
public enum NegativeSampling {
    /** Uniformly over the item rows in use: cheap, but mostly easy, rarely seen items. */
    UNIFORM,
    /**
     * In proportion to how often each item was a training target recently (a window of the last
     * {@code popularityWindow} targets): harder negatives that match the serving distribution of
     * popular items; pair with {@code logQCorrection} so popular items are not over-penalised.
     */
    POPULARITY,
    /**
     * No sampling: every item row in use is a negative of every target, the target's own row its positive (full-softmax
     * cross-entropy, as SASRec's full CE). One {@code [targets x items]} matmul and log-softmax per step, so for
     * catalogues of up to some tens of thousands of items; the sampled and in-batch counts, the popularity window and
     * logQ do not apply. Items already in the user's history stay negatives (not masked), as in SASRec.
     */
    ALL
}
