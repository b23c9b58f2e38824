package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** The stack of layers (STU, or the Transformer baseline's, which read the shared settings). */
@JsonDeserialize(using = SectionDeserializer.class)
public record StuConfig(
        @Doc("number of stacked layers") int numLayers,

        @Doc("attention heads per layer; must divide encoder.embeddingDim")
        int numHeads,

        @Doc("query/key width per head") int attentionDim,
        @Doc("value/gate (U, V) width per head") int linearDim,

        @Doc("dropout rate on each layer's output projection")
        float dropout,

        @Doc("pre-layer and attention-output normalisation: LAYER or RMS")
        NormType normType,

        @Doc("what the softmax-free attention is divided by: VALID_KEYS or MAX_LEN")
        AttentionNorm attentionNorm,

        @Doc("buckets of the relative position bias (exact below half, log-spaced above)")
        int positionBuckets,

        @Doc("buckets of the relative time bias and the time-gap feature, floor(2*log2(1+gapSeconds))")
        int timeBuckets,

        @Doc("add the learned relative time-gap bias to the attention logits (the position bias is always on)")
        boolean relativeTimeBias) {

    private static final StuConfig DEFAULTS =
            new StuConfig(2, 2, 32, 32, 0.2f, NormType.LAYER, AttentionNorm.VALID_KEYS, 64, 64, true);

    /** @return 2 layers of 2 heads, 32 wide */
    public static StuConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, numLayers >= 1, "stu.numLayers", "must be >= 1", numLayers);
        Checks.require(problems, numHeads >= 1, "stu.numHeads", "must be >= 1", numHeads);
        Checks.require(problems, attentionDim >= 1, "stu.attentionDim", "must be >= 1 (per head)", attentionDim);
        Checks.require(problems, linearDim >= 1, "stu.linearDim", "must be >= 1 (per head)", linearDim);
        Checks.require(problems, dropout >= 0f && dropout < 1f, "stu.dropout", "must be in [0, 1)", dropout);
        Checks.require(problems, normType != null, "stu.normType", "must be LAYER or RMS", normType);
        Checks.require(
                problems, attentionNorm != null, "stu.attentionNorm", "must be VALID_KEYS or MAX_LEN", attentionNorm);
        Checks.require(problems, positionBuckets >= 2, "stu.positionBuckets", "must be >= 2", positionBuckets);
        Checks.require(problems, timeBuckets >= 2, "stu.timeBuckets", "must be >= 2", timeBuckets);
    }
}
