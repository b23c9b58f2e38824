package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** AdamW with linear warm-up and an optional cosine decay. */
@JsonDeserialize(using = SectionDeserializer.class)
public record OptimizerConfig(
        @Doc("peak learning rate (after warm-up)") float learningRate,
        @Doc("decoupled (AdamW) weight decay") float weightDecay,
        @Doc("steps of linear learning-rate warm-up") int warmupSteps,

        @Doc("step at which the cosine decay reaches zero; 0 keeps the rate constant after warm-up")
        long totalSteps,

        @Doc("global gradient-norm clip; 0 disables clipping")
        float gradClipNorm,

        @Doc("micro-batches whose gradients are summed (each weighted by its share of targets) per update")
        int gradientAccumulationSteps) {

    private static final OptimizerConfig DEFAULTS = new OptimizerConfig(1e-3f, 0f, 100, 0L, 1f, 1);

    /** @return learning rate 1e-3 after 100 warm-up steps, clip 1, no decay */
    public static OptimizerConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(
                problems,
                learningRate > 0f && Float.isFinite(learningRate),
                "optimizer.learningRate",
                "must be > 0",
                learningRate);
        Checks.require(
                problems,
                weightDecay >= 0f && Float.isFinite(weightDecay),
                "optimizer.weightDecay",
                "must be >= 0",
                weightDecay);
        Checks.require(problems, warmupSteps >= 0, "optimizer.warmupSteps", "must be >= 0", warmupSteps);
        Checks.require(
                problems,
                totalSteps == 0 || totalSteps > warmupSteps,
                "optimizer.totalSteps",
                "must be 0 (constant after warm-up) or greater than warmupSteps=" + warmupSteps,
                totalSteps);
        Checks.require(
                problems,
                gradClipNorm >= 0f && Float.isFinite(gradClipNorm),
                "optimizer.gradClipNorm",
                "must be >= 0 (0 = off)",
                gradClipNorm);
        Checks.require(
                problems,
                gradientAccumulationSteps >= 1,
                "optimizer.gradientAccumulationSteps",
                "must be >= 1 (1 = update every step)",
                gradientAccumulationSteps);
    }
}
