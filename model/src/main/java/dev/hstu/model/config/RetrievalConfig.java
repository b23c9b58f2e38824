package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * The retrieval objective: softmax cross-entropy over cosine similarities, against sampled negatives (InfoNCE) or,
 * with {@code negativeSampling=ALL}, against every item; its negatives and weights.
 */
@JsonDeserialize(using = SectionDeserializer.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrievalConfig(
        @Doc("sampled negatives per training step, shared by all targets (not read with negativeSampling ALL)")
        int numNegatives,

        @Doc("at most this many other positives of the batch used as negatives (not read with negativeSampling ALL)")
        int inBatchNegatives,

        // ALL is a value of this setting rather than a flag beside it: it answers the same question (where a
        // target's negatives come from), and a flag would leave a combination (full softmax "with" POPULARITY) to
        // explain or refuse
        @Doc("where the negatives come from: UNIFORM or POPULARITY sampling, or ALL: every item row in use is a"
                + " negative of every target (full-softmax cross-entropy; history items not masked; for catalogues"
                + " whose targets x items logits fit in memory)")
        NegativeSampling negativeSampling,

        @Doc("recent training targets whose frequencies define POPULARITY sampling and hot items")
        int popularityWindow,

        @Doc("subtract log of each negative's expected sample count from its logit (popularity and in-batch)")
        boolean logQCorrection,

        @Doc("softmax temperature applied to cosine similarities")
        float temperature,

        @Doc("softmax temperature of click targets (action bit 0 set); 0: temperature")
        float clickTemperature,

        @Doc("softmax temperature of exposure-only targets; 0: temperature")
        float exposureTemperature,

        @Doc("loss weight of click targets; the loss stays a mean over all targets")
        float clickTargetWeight,

        @Doc("loss weight of exposure-only targets (action bit 0 clear)")
        float exposureTargetWeight,

        @Doc("per-target negatives from the user's own history; absent: none")
        RankPackageConfig rankPackage,

        @Doc("cache of the hardest negatives of past steps; absent: none")
        HardNegativesConfig hardNegatives,

        @Doc("rank loss added to InfoNCE: NONE, PAIRWISE or LISTWISE (needs rankPackage)")
        RankLoss rankLoss,

        @Doc("weight of the rank loss in the sum") float rankLossWeight) {

    private static final RetrievalConfig DEFAULTS = new RetrievalConfig(
            128, 128, NegativeSampling.UNIFORM, 65_536, false, 0.05f, 0f, 0f, 1f, 1f, null, null, RankLoss.NONE, 1f);

    /** @return 128 uniform and 128 in-batch negatives at temperature 0.05, nothing else */
    public static RetrievalConfig defaults() {
        return DEFAULTS;
    }

    /** @return negatives of each target's rank package, 0 without one */
    public int rankPackageSize() {
        return rankPackage == null ? 0 : rankPackage.size();
    }

    /** @return whether targets are weighted or tempered by their action (any of the four action-aware settings) */
    public boolean actionAwareLoss() {
        return clickTargetWeight != 1f
                || exposureTargetWeight != 1f
                || clickTemperature != 0f
                || exposureTemperature != 0f;
    }

    /** @return the softmax temperature of click targets: {@code clickTemperature}, or {@code temperature} when 0 */
    public float temperatureOfClicks() {
        return clickTemperature > 0f ? clickTemperature : temperature;
    }

    /** @return the softmax temperature of exposure-only targets: {@code exposureTemperature}, or {@code temperature} when 0 */
    public float temperatureOfExposures() {
        return exposureTemperature > 0f ? exposureTemperature : temperature;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, numNegatives >= 0, "task.numNegatives", "must be >= 0", numNegatives);
        Checks.require(problems, inBatchNegatives >= 0, "task.inBatchNegatives", "must be >= 0", inBatchNegatives);
        Checks.require(
                problems,
                negativeSampling != null,
                "task.negativeSampling",
                "must be UNIFORM, POPULARITY or ALL",
                negativeSampling);
        Checks.require(problems, popularityWindow >= 1, "task.popularityWindow", "must be >= 1", popularityWindow);
        Checks.require(
                problems,
                temperature > 0f && Float.isFinite(temperature),
                "task.temperature",
                "must be > 0",
                temperature);
        nonNegative(problems, "task.clickTemperature", clickTemperature, "must be > 0, or 0 to use temperature");
        nonNegative(problems, "task.exposureTemperature", exposureTemperature, "must be > 0, or 0 to use temperature");
        nonNegative(problems, "task.clickTargetWeight", clickTargetWeight, "must be >= 0");
        nonNegative(problems, "task.exposureTargetWeight", exposureTargetWeight, "must be >= 0");
        if (rankPackage != null) {
            rankPackage.check(problems);
        }
        if (hardNegatives != null) {
            hardNegatives.check(problems);
        }
        Checks.require(problems, rankLoss != null, "task.rankLoss", "must be NONE, PAIRWISE or LISTWISE", rankLoss);
        Checks.require(
                problems,
                rankLoss != RankLoss.LISTWISE || rankPackage != null,
                "task.rankLoss",
                "must not be LISTWISE without a rank package (set task.rankPackage)",
                rankLoss);
        nonNegative(problems, "task.rankLossWeight", rankLossWeight, "must be >= 0");
        if (negativeSampling == NegativeSampling.ALL) {
            checkFullSoftmax(problems);
        }
    }

    /** What full softmax cannot combine with: each adds negatives or corrections that ALL already covers. */
    private void checkFullSoftmax(List<String> problems) {
        String all = "must be false with task.negativeSampling=ALL: every item is a negative exactly once, there is"
                + " no sampling to correct";
        Checks.require(problems, !logQCorrection, "task.logQCorrection", all, logQCorrection);
        Checks.require(
                problems,
                rankPackage == null,
                "task.rankPackage",
                "must be absent with task.negativeSampling=ALL: the history items it would add are negatives already"
                        + " (set task.rankPackage=null)",
                rankPackage);
        Checks.require(
                problems,
                hardNegatives == null,
                "task.hardNegatives",
                "must be absent with task.negativeSampling=ALL: every item, the hardest too, is a negative already"
                        + " (set task.hardNegatives=null)",
                hardNegatives);
        Checks.require(
                problems,
                rankLoss == RankLoss.NONE,
                "task.rankLoss",
                "must be NONE with task.negativeSampling=ALL (the rank losses rank shared candidates and rank"
                        + " packages, which full softmax has not)",
                rankLoss);
    }

    private static void nonNegative(List<String> problems, String key, float value, String rule) {
        Checks.require(problems, value >= 0f && Float.isFinite(value), key, rule, value);
    }
}
