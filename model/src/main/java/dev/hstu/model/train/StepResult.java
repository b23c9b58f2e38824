package dev.hstu.model.train;

import java.util.Map;

/**
 * Outcome of one {@link HstuTrainer#step} call.
 *
 * @param step number of updates applied after this call (unchanged when skipped)
 * @param loss the task's mean loss over the targets (NaN/inf when skipped for that reason)
 * @param numTargets target positions trained on
 * @param learningRate rate used (or that would have been used) for this update
 * @param millis wall time of the call
 * @param skipped true when the loss or gradient norm was NaN/inf and no parameter or optimizer
 *     state changed
 * @param gradNorm global gradient L2 norm before clipping (NaN when not computed)
 * @param overflow with {@code mixedPrecision}: skipped because the scaled float16 gradients
 *     overflowed, which halves the loss scale; expected now and then, not a sign of divergence
 * @param metrics the task's training-time metrics by name (none for retrieval)
 */
public record StepResult(
        long step,
        float loss,
        int numTargets,
        float learningRate,
        long millis,
        boolean skipped,
        float gradNorm,
        boolean overflow,
        Map<String, Float> metrics) {}
