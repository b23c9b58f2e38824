package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable hyper-parameters of an HSTU model and its trainer.
 *
 * <p>Deserialises from JSON with Jackson; a field missing from the JSON takes its {@link
 * #defaults()} value, an unknown field is an error. Call {@link #validate()} before use.
 *
 * @param itemCapacity rows of the item table, including the reserved rows 0 (padding) and 1
 *     (out-of-vocabulary)
 * @param embeddingDim model width {@code d}
 * @param numLayers number of stacked STU layers
 * @param numHeads attention heads per layer
 * @param attentionDim query/key width per head
 * @param linearDim value/gate (U, V) width per head
 * @param maxSeqLen longest sequence the model accepts (rows of the absolute position table)
 * @param dropout dropout rate on each STU layer's output projection
 * @param numActions size of the action-bitmask space; an action is an integer in {@code [0,
 *     numActions)}
 * @param positionBuckets buckets of the relative position bias (exact below half, log-spaced
 *     above)
 * @param timeBuckets buckets of the relative time bias, {@code floor(2*log2(1+gapSeconds))}
 * @param normType pre-layer and attention-output normalisation
 * @param attentionNorm what the softmax-free attention is divided by
 * @param numNegatives uniformly sampled negatives per training step, shared by all targets
 * @param inBatchNegatives at most this many other positives of the batch used as negatives
 * @param temperature softmax temperature applied to cosine similarities
 * @param learningRate peak learning rate (after warm-up)
 * @param weightDecay decoupled (AdamW) weight decay
 * @param warmupSteps steps of linear learning-rate warm-up
 * @param totalSteps step at which the cosine decay reaches zero; 0 keeps the rate constant after
 *     warm-up
 * @param gradClipNorm global gradient-norm clip; 0 disables clipping
 * @param seed seed of initialisation, dropout and negative sampling
 * @param device {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}
 * @param encoder layer type: {@link EncoderType#HSTU} or the {@link EncoderType#TRANSFORMER} baseline
 * @param inputDropout dropout rate on the input embeddings (item + position + action), as in the reference preprocessor
 * @param relativeTimeBias add the learned relative time-gap bias to the attention logits (the position bias is always on)
 * @param negativeSampling where the {@code numNegatives} sampled negatives come from
 * @param popularityWindow recent training targets whose frequencies define the {@code POPULARITY} sampling distribution
 * @param logQCorrection subtract the log of each negative's expected sample count from its logit (sampled-softmax correction for popularity-sampled and in-batch negatives)
 * @param timeFeatures add hour-of-day, weekday (UTC) and log1p(seconds since the previous event) embeddings to the input
 * @param gradientAccumulationSteps micro-batches whose gradients are summed (each weighted by its share of targets) before one optimiser update
 * @param denseFeatureDim width of the optional per-event dense feature vector that a learned linear layer projects to {@code d} and adds to the input; 0 (the default) turns the input off and batches' dense features are ignored
 * @param mixedPrecision mixed-precision training: forward and backward in float16 on float16 copies of float32 master weights, which the optimiser updates in float32, with dynamic loss scaling; halves the memory and traffic of the activations on a GPU; needs {@code gradientAccumulationSteps = 1}
 * @param actionEncoder how an event's action bitmask becomes an input embedding: one learned row per bitmask value ({@link ActionEncoding#VALUE}, the default) or a weighted sum of one learned row per set bit ({@link ActionEncoding#BITS})
 * @param actionBitWeights with {@code actionEncoder = BITS}, the weight of each bit's row, lowest bit first, one per bit of {@link #actionBits()}; empty (the default) weighs every bit 1
 * @param featureGating reweight the input's feature fields (item, position, action, time, dense, multimodal, user) with a learned SENet gate before summing them
 * @param gatingReduction squeeze ratio {@code r} of the SENet gate: its hidden layer has {@code max(1, fields / r)} units
 * @param multimodalDims feature id to width of each fixed per-item embedding (e.g. the seed's ids 81-86) that a learned linear map projects to {@code d} and adds to the item's input; empty (the default) turns them off. The tables themselves are data, not parameters: attach them with {@code HstuModel.setMultimodalTables}
 * @param userFeatureSlots sparse user-feature keys each sequence carries (empty slots allowed); their mean embedding is added to every position; 0 (the default) turns them off and batches' user features are ignored
 * @param userFeatureBuckets rows of the hashed user-feature table (row 0 is the empty slot); 0 exactly when {@code userFeatureSlots = 0}
 * @param clickTargetWeight weight in the loss of a target whose event was a click (action bit 0 set); with {@code exposureTargetWeight}, 1 and 1 (the defaults) is the plain mean. The loss stays a mean over all targets, so weights (1, 0) drop exposure-only targets without scaling the click targets up
 * @param exposureTargetWeight weight in the loss of a target whose event was an exposure only (action bit 0 clear)
 * @param clickTemperature softmax temperature of click targets; 0 (the default) uses {@code temperature}
 * @param exposureTemperature softmax temperature of exposure-only targets; 0 (the default) uses {@code temperature}
 * @param rankPackageCounts per target, extra negatives drawn from the user's own history before the target, in the categories [cold click, hot click, cold exposure, hot exposure, random item]: items the user saw but did not pick next are hard negatives; empty (the default) or all 0 turns the rank package off
 * @param rankPackageHotShare an item is hot when it is among the most frequent recent targets ({@code popularityWindow}) that together make up this share of them; every other item is cold
 * @param hardNegativeCacheSize items kept in the cache of the hardest shared negatives of past steps (saved with the trainer's checkpoint); 0 (the default) turns the cache off
 * @param hardNegatives with the cache on: items taken from the cache into each step's shared negatives, and hardest negatives of each step put into it
 * @param idDropoutStart share of events whose item-ID embedding row is zeroed at step 0 of training (kept rows scaled by {@code 1/(1-rate)}), decaying linearly to 0 over {@code idDropoutAnnealSteps}; 0 (the default) turns it off
 * @param idDropoutAnnealSteps optimiser steps over which the item-ID dropout decays to 0
 * @param rankLoss rank loss added to the InfoNCE loss: {@link RankLoss#NONE} (the default), {@link RankLoss#PAIRWISE} or {@link RankLoss#LISTWISE}
 * @param rankLossWeight weight of the rank loss in the sum
 */
public record HstuConfig(
        int itemCapacity,
        int embeddingDim,
        int numLayers,
        int numHeads,
        int attentionDim,
        int linearDim,
        int maxSeqLen,
        float dropout,
        int numActions,
        int positionBuckets,
        int timeBuckets,
        NormType normType,
        AttentionNorm attentionNorm,
        int numNegatives,
        int inBatchNegatives,
        float temperature,
        float learningRate,
        float weightDecay,
        int warmupSteps,
        long totalSteps,
        float gradClipNorm,
        long seed,
        String device,
        EncoderType encoder,
        float inputDropout,
        boolean relativeTimeBias,
        NegativeSampling negativeSampling,
        int popularityWindow,
        boolean logQCorrection,
        boolean timeFeatures,
        int gradientAccumulationSteps,
        int denseFeatureDim,
        boolean mixedPrecision,
        ActionEncoding actionEncoder,
        List<Float> actionBitWeights,
        boolean featureGating,
        int gatingReduction,
        Map<Integer, Integer> multimodalDims,
        int userFeatureSlots,
        int userFeatureBuckets,
        float clickTargetWeight,
        float exposureTargetWeight,
        float clickTemperature,
        float exposureTemperature,
        List<Integer> rankPackageCounts,
        float rankPackageHotShare,
        int hardNegativeCacheSize,
        int hardNegatives,
        float idDropoutStart,
        long idDropoutAnnealSteps,
        RankLoss rankLoss,
        float rankLossWeight) {

    /** Categories of {@link #rankPackageCounts()}, in its order. */
    public static final int RANK_PACKAGE_CATEGORIES = 5;

    /** Floats of the largest multimodal table: DJL uploads an array through one direct buffer of at most 2 GiB. */
    private static final long MAX_TABLE_FLOATS = (Integer.MAX_VALUE - 8) / Float.BYTES;

    private static final HstuConfig DEFAULTS = new HstuConfig(
            65_536,
            64,
            2,
            2,
            32,
            32,
            200,
            0.2f,
            16,
            64,
            64,
            NormType.LAYER,
            AttentionNorm.VALID_KEYS,
            128,
            128,
            0.05f,
            1e-3f,
            0.0f,
            100,
            0,
            1.0f,
            42L,
            "cpu",
            EncoderType.HSTU,
            0.2f,
            true,
            NegativeSampling.UNIFORM,
            65_536,
            false,
            false,
            1,
            0,
            false,
            ActionEncoding.VALUE,
            List.of(),
            false,
            2,
            Map.of(),
            0,
            0,
            1f,
            1f,
            0f,
            0f,
            List.of(),
            0.5f,
            0,
            0,
            0f,
            0L,
            RankLoss.NONE,
            1f);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Copies the collections so that a config stays immutable and comparable by value. */
    public HstuConfig {
        // not List.copyOf / Map.copyOf: a null element must reach validate() and its message
        actionBitWeights =
                actionBitWeights == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(actionBitWeights));
        multimodalDims =
                multimodalDims == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(multimodalDims));
        rankPackageCounts = rankPackageCounts == null
                ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(rankPackageCounts));
    }

    /**
     * The recommended starting point: d=64, 2 layers, 2 heads, sequences up to 200 events.
     *
     * @return the default configuration (valid)
     */
    public static HstuConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Jackson entry point: every absent field falls back to its default, so partial JSON configs
     * (e.g. a job file overriding only {@code embeddingDim}) are accepted.
     */
    @JsonCreator
    static HstuConfig fromJsonFields(
            @JsonProperty("itemCapacity") Integer itemCapacity,
            @JsonProperty("embeddingDim") Integer embeddingDim,
            @JsonProperty("numLayers") Integer numLayers,
            @JsonProperty("numHeads") Integer numHeads,
            @JsonProperty("attentionDim") Integer attentionDim,
            @JsonProperty("linearDim") Integer linearDim,
            @JsonProperty("maxSeqLen") Integer maxSeqLen,
            @JsonProperty("dropout") Float dropout,
            @JsonProperty("numActions") Integer numActions,
            @JsonProperty("positionBuckets") Integer positionBuckets,
            @JsonProperty("timeBuckets") Integer timeBuckets,
            @JsonProperty("normType") NormType normType,
            @JsonProperty("attentionNorm") AttentionNorm attentionNorm,
            @JsonProperty("numNegatives") Integer numNegatives,
            @JsonProperty("inBatchNegatives") Integer inBatchNegatives,
            @JsonProperty("temperature") Float temperature,
            @JsonProperty("learningRate") Float learningRate,
            @JsonProperty("weightDecay") Float weightDecay,
            @JsonProperty("warmupSteps") Integer warmupSteps,
            @JsonProperty("totalSteps") Long totalSteps,
            @JsonProperty("gradClipNorm") Float gradClipNorm,
            @JsonProperty("seed") Long seed,
            @JsonProperty("device") String device,
            @JsonProperty("encoder") EncoderType encoder,
            @JsonProperty("inputDropout") Float inputDropout,
            @JsonProperty("relativeTimeBias") Boolean relativeTimeBias,
            @JsonProperty("negativeSampling") NegativeSampling negativeSampling,
            @JsonProperty("popularityWindow") Integer popularityWindow,
            @JsonProperty("logQCorrection") Boolean logQCorrection,
            @JsonProperty("timeFeatures") Boolean timeFeatures,
            @JsonProperty("gradientAccumulationSteps") Integer gradientAccumulationSteps,
            @JsonProperty("denseFeatureDim") Integer denseFeatureDim,
            @JsonProperty("mixedPrecision") Boolean mixedPrecision,
            @JsonProperty("actionEncoder") ActionEncoding actionEncoder,
            @JsonProperty("actionBitWeights") List<Float> actionBitWeights,
            @JsonProperty("featureGating") Boolean featureGating,
            @JsonProperty("gatingReduction") Integer gatingReduction,
            @JsonProperty("multimodalDims") Map<Integer, Integer> multimodalDims,
            @JsonProperty("userFeatureSlots") Integer userFeatureSlots,
            @JsonProperty("userFeatureBuckets") Integer userFeatureBuckets,
            @JsonProperty("clickTargetWeight") Float clickTargetWeight,
            @JsonProperty("exposureTargetWeight") Float exposureTargetWeight,
            @JsonProperty("clickTemperature") Float clickTemperature,
            @JsonProperty("exposureTemperature") Float exposureTemperature,
            @JsonProperty("rankPackageCounts") List<Integer> rankPackageCounts,
            @JsonProperty("rankPackageHotShare") Float rankPackageHotShare,
            @JsonProperty("hardNegativeCacheSize") Integer hardNegativeCacheSize,
            @JsonProperty("hardNegatives") Integer hardNegatives,
            @JsonProperty("idDropoutStart") Float idDropoutStart,
            @JsonProperty("idDropoutAnnealSteps") Long idDropoutAnnealSteps,
            @JsonProperty("rankLoss") RankLoss rankLoss,
            @JsonProperty("rankLossWeight") Float rankLossWeight) {
        HstuConfig d = DEFAULTS;
        return new HstuConfig(
                or(itemCapacity, d.itemCapacity),
                or(embeddingDim, d.embeddingDim),
                or(numLayers, d.numLayers),
                or(numHeads, d.numHeads),
                or(attentionDim, d.attentionDim),
                or(linearDim, d.linearDim),
                or(maxSeqLen, d.maxSeqLen),
                or(dropout, d.dropout),
                or(numActions, d.numActions),
                or(positionBuckets, d.positionBuckets),
                or(timeBuckets, d.timeBuckets),
                or(normType, d.normType),
                or(attentionNorm, d.attentionNorm),
                or(numNegatives, d.numNegatives),
                or(inBatchNegatives, d.inBatchNegatives),
                or(temperature, d.temperature),
                or(learningRate, d.learningRate),
                or(weightDecay, d.weightDecay),
                or(warmupSteps, d.warmupSteps),
                or(totalSteps, d.totalSteps),
                or(gradClipNorm, d.gradClipNorm),
                or(seed, d.seed),
                or(device, d.device),
                or(encoder, d.encoder),
                or(inputDropout, d.inputDropout),
                or(relativeTimeBias, d.relativeTimeBias),
                or(negativeSampling, d.negativeSampling),
                or(popularityWindow, d.popularityWindow),
                or(logQCorrection, d.logQCorrection),
                or(timeFeatures, d.timeFeatures),
                or(gradientAccumulationSteps, d.gradientAccumulationSteps),
                or(denseFeatureDim, d.denseFeatureDim),
                or(mixedPrecision, d.mixedPrecision),
                or(actionEncoder, d.actionEncoder),
                or(actionBitWeights, d.actionBitWeights),
                or(featureGating, d.featureGating),
                or(gatingReduction, d.gatingReduction),
                or(multimodalDims, d.multimodalDims),
                or(userFeatureSlots, d.userFeatureSlots),
                or(userFeatureBuckets, d.userFeatureBuckets),
                or(clickTargetWeight, d.clickTargetWeight),
                or(exposureTargetWeight, d.exposureTargetWeight),
                or(clickTemperature, d.clickTemperature),
                or(exposureTemperature, d.exposureTemperature),
                or(rankPackageCounts, d.rankPackageCounts),
                or(rankPackageHotShare, d.rankPackageHotShare),
                or(hardNegativeCacheSize, d.hardNegativeCacheSize),
                or(hardNegatives, d.hardNegatives),
                or(idDropoutStart, d.idDropoutStart),
                or(idDropoutAnnealSteps, d.idDropoutAnnealSteps),
                or(rankLoss, d.rankLoss),
                or(rankLossWeight, d.rankLossWeight));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /**
     * Checks every field and returns this config unchanged when all are valid.
     *
     * @return this
     * @throws IllegalArgumentException naming the first invalid field and its value
     */
    public HstuConfig validate() {
        require(itemCapacity >= 3, "itemCapacity", "must be >= 3 (rows 0 and 1 are reserved)", itemCapacity);
        if (embeddingDim <= 0 || numHeads <= 0 || embeddingDim % numHeads != 0) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "model.embeddingDim must be > 0 and divisible by numHeads, got %d with %d heads",
                    embeddingDim,
                    numHeads));
        }
        require(numLayers >= 1, "numLayers", "must be >= 1", numLayers);
        require(attentionDim >= 1, "attentionDim", "must be >= 1 (per head)", attentionDim);
        require(linearDim >= 1, "linearDim", "must be >= 1 (per head)", linearDim);
        require(maxSeqLen >= 2, "maxSeqLen", "must be >= 2", maxSeqLen);
        require(dropout >= 0f && dropout < 1f, "dropout", "must be in [0, 1)", dropout);
        require(numActions >= 1, "numActions", "must be >= 1", numActions);
        require(positionBuckets >= 2, "positionBuckets", "must be >= 2", positionBuckets);
        require(timeBuckets >= 2, "timeBuckets", "must be >= 2", timeBuckets);
        require(normType != null, "normType", "must be LAYER or RMS", normType);
        require(attentionNorm != null, "attentionNorm", "must be VALID_KEYS or MAX_LEN", attentionNorm);
        require(numNegatives >= 0, "numNegatives", "must be >= 0", numNegatives);
        require(inBatchNegatives >= 0, "inBatchNegatives", "must be >= 0", inBatchNegatives);
        require(temperature > 0f && Float.isFinite(temperature), "temperature", "must be > 0", temperature);
        require(learningRate > 0f && Float.isFinite(learningRate), "learningRate", "must be > 0", learningRate);
        require(weightDecay >= 0f && Float.isFinite(weightDecay), "weightDecay", "must be >= 0", weightDecay);
        require(warmupSteps >= 0, "warmupSteps", "must be >= 0", warmupSteps);
        require(totalSteps >= 0, "totalSteps", "must be >= 0 (0 = constant after warm-up)", totalSteps);
        require(
                totalSteps == 0 || totalSteps > warmupSteps,
                "totalSteps",
                "must be 0 or greater than warmupSteps=" + warmupSteps,
                totalSteps);
        require(
                gradClipNorm >= 0f && Float.isFinite(gradClipNorm),
                "gradClipNorm",
                "must be >= 0 (0 = off)",
                gradClipNorm);
        require(
                device != null && device.matches("cpu|gpu|gpu:\\d+"),
                "device",
                "must be \"cpu\", \"gpu\" or \"gpu:N\"",
                device);
        require(encoder != null, "encoder", "must be HSTU or TRANSFORMER", encoder);
        require(inputDropout >= 0f && inputDropout < 1f, "inputDropout", "must be in [0, 1)", inputDropout);
        require(negativeSampling != null, "negativeSampling", "must be UNIFORM or POPULARITY", negativeSampling);
        require(popularityWindow >= 1, "popularityWindow", "must be >= 1", popularityWindow);
        require(
                gradientAccumulationSteps >= 1,
                "gradientAccumulationSteps",
                "must be >= 1 (1 = update every step)",
                gradientAccumulationSteps);
        require(denseFeatureDim >= 0, "denseFeatureDim", "must be >= 0 (0 = no dense features)", denseFeatureDim);
        require(
                !mixedPrecision || gradientAccumulationSteps == 1,
                "mixedPrecision",
                "needs gradientAccumulationSteps = 1 (float16 gradients are not accumulated across micro-batches)",
                mixedPrecision);
        validateInputFeatures();
        validateTrainingTricks();
        return this;
    }

    private void validateTrainingTricks() {
        require(
                clickTargetWeight >= 0f && Float.isFinite(clickTargetWeight),
                "clickTargetWeight",
                "must be >= 0",
                clickTargetWeight);
        require(
                exposureTargetWeight >= 0f && Float.isFinite(exposureTargetWeight),
                "exposureTargetWeight",
                "must be >= 0",
                exposureTargetWeight);
        require(
                clickTemperature >= 0f && Float.isFinite(clickTemperature),
                "clickTemperature",
                "must be > 0, or 0 to use temperature",
                clickTemperature);
        require(
                exposureTemperature >= 0f && Float.isFinite(exposureTemperature),
                "exposureTemperature",
                "must be > 0, or 0 to use temperature",
                exposureTemperature);
        if (!rankPackageCounts.isEmpty()) {
            require(
                    rankPackageCounts.size() == RANK_PACKAGE_CATEGORIES,
                    "rankPackageCounts",
                    "must hold 5 counts [coldClick, hotClick, coldExposure, hotExposure, random], or none to turn it off",
                    rankPackageCounts);
            for (Integer n : rankPackageCounts) {
                require(n != null && n >= 0, "rankPackageCounts", "must all be >= 0", rankPackageCounts);
            }
        }
        require(
                rankPackageHotShare > 0f && rankPackageHotShare <= 1f,
                "rankPackageHotShare",
                "must be in (0, 1]",
                rankPackageHotShare);
        require(
                hardNegativeCacheSize >= 0,
                "hardNegativeCacheSize",
                "must be >= 0 (0 = no cache)",
                hardNegativeCacheSize);
        require(hardNegatives >= 0, "hardNegatives", "must be >= 0", hardNegatives);
        if (hardNegativeCacheSize > 0) {
            require(
                    hardNegatives >= 1 && hardNegatives <= hardNegativeCacheSize,
                    "hardNegatives",
                    "must be in [1, hardNegativeCacheSize=" + hardNegativeCacheSize + "] with the cache on",
                    hardNegatives);
        }
        require(idDropoutStart >= 0f && idDropoutStart < 1f, "idDropoutStart", "must be in [0, 1)", idDropoutStart);
        require(idDropoutAnnealSteps >= 0, "idDropoutAnnealSteps", "must be >= 0", idDropoutAnnealSteps);
        if (idDropoutStart > 0f) {
            require(
                    idDropoutAnnealSteps >= 1,
                    "idDropoutAnnealSteps",
                    "must be >= 1 with idDropoutStart > 0 (the steps over which the rate decays to 0)",
                    idDropoutAnnealSteps);
        }
        require(rankLoss != null, "rankLoss", "must be NONE, PAIRWISE or LISTWISE", rankLoss);
        require(
                rankLoss != RankLoss.LISTWISE || rankPackageSize() > 0,
                "rankLoss",
                "must not be LISTWISE without a rank package (set rankPackageCounts)",
                rankLoss);
        require(
                rankLossWeight >= 0f && Float.isFinite(rankLossWeight),
                "rankLossWeight",
                "must be >= 0",
                rankLossWeight);
    }

    /** @return negatives of each target's rank package: the sum of {@link #rankPackageCounts()}, 0 when off */
    public int rankPackageSize() {
        int sum = 0;
        for (Integer n : rankPackageCounts) {
            sum += n == null ? 0 : n;
        }
        return sum;
    }

    /** @return whether targets are weighted or tempered by their action (any of the four action-aware fields set) */
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

    private void validateInputFeatures() {
        require(actionEncoder != null, "actionEncoder", "must be VALUE or BITS", actionEncoder);
        if (!actionBitWeights.isEmpty()) {
            require(
                    actionEncoder == ActionEncoding.BITS,
                    "actionBitWeights",
                    "only applies with actionEncoder=BITS (the VALUE encoder has no per-bit rows)",
                    actionBitWeights);
            require(
                    actionBitWeights.size() == actionBits(),
                    "actionBitWeights",
                    "must hold one weight per action bit (numActions=" + numActions + " has " + actionBits() + " bits)",
                    actionBitWeights);
            for (Float w : actionBitWeights) {
                require(
                        w != null && Float.isFinite(w),
                        "actionBitWeights",
                        "must all be finite numbers",
                        actionBitWeights);
            }
        }
        require(gatingReduction >= 1, "gatingReduction", "must be >= 1", gatingReduction);
        for (Map.Entry<Integer, Integer> e : multimodalDims.entrySet()) {
            require(e.getKey() >= 1, "multimodalDims", "feature ids must be >= 1", multimodalDims);
            require(e.getValue() != null && e.getValue() >= 1, "multimodalDims", "widths must be >= 1", multimodalDims);
            require(
                    (long) e.getValue() * itemCapacity <= MAX_TABLE_FLOATS,
                    "multimodalDims",
                    "feature " + e.getKey() + " needs itemCapacity x width = " + itemCapacity + " x " + e.getValue()
                            + " floats, more than one table upload holds (2 GiB); lower itemCapacity",
                    multimodalDims);
        }
        require(userFeatureSlots >= 0, "userFeatureSlots", "must be >= 0 (0 = no user features)", userFeatureSlots);
        if (userFeatureSlots > 0) {
            require(
                    userFeatureBuckets >= 2,
                    "userFeatureBuckets",
                    "must be >= 2 with userFeatureSlots > 0 (row 0 is the empty slot)",
                    userFeatureBuckets);
        } else {
            require(
                    userFeatureBuckets == 0,
                    "userFeatureBuckets",
                    "must be 0 without user features (set userFeatureSlots too)",
                    userFeatureBuckets);
        }
    }

    /**
     * @return bits of an action bitmask: every action is below {@code numActions}, so {@code
     *     ceil(log2(numActions))}, at least 1
     */
    public int actionBits() {
        return Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(numActions - 1));
    }

    private static void require(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("model." + field + " " + rule + ", got " + value);
        }
    }

    /**
     * Parses a JSON object; absent fields take their defaults.
     *
     * @param json the JSON text
     * @return the parsed, validated config
     * @throws IllegalArgumentException on malformed JSON, an unknown field or an invalid value
     */
    public static HstuConfig fromJson(String json) {
        try {
            return JSON.readValue(json, HstuConfig.class).validate();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid model config JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Serialises this config as indented JSON with every field present.
     *
     * @return the JSON text
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a config file written by {@link #toJson()} (or by hand).
     *
     * @param file the JSON file
     * @return the validated config
     * @throws IOException if the file cannot be read
     */
    public static HstuConfig read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }

    /**
     * Starts a builder holding this config's values.
     *
     * @return a builder to change some fields of a copy
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Starts a builder from {@link #defaults()}.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** Mutable copy of a config; {@link #build()} validates. */
    public static final class Builder {
        private int itemCapacity;
        private int embeddingDim;
        private int numLayers;
        private int numHeads;
        private int attentionDim;
        private int linearDim;
        private int maxSeqLen;
        private float dropout;
        private int numActions;
        private int positionBuckets;
        private int timeBuckets;
        private NormType normType;
        private AttentionNorm attentionNorm;
        private int numNegatives;
        private int inBatchNegatives;
        private float temperature;
        private float learningRate;
        private float weightDecay;
        private int warmupSteps;
        private long totalSteps;
        private float gradClipNorm;
        private long seed;
        private String device;
        private EncoderType encoder;
        private float inputDropout;
        private boolean relativeTimeBias;
        private NegativeSampling negativeSampling;
        private int popularityWindow;
        private boolean logQCorrection;
        private boolean timeFeatures;
        private int gradientAccumulationSteps;
        private int denseFeatureDim;
        private boolean mixedPrecision;
        private ActionEncoding actionEncoder;
        private List<Float> actionBitWeights;
        private boolean featureGating;
        private int gatingReduction;
        private Map<Integer, Integer> multimodalDims;
        private int userFeatureSlots;
        private int userFeatureBuckets;
        private float clickTargetWeight;
        private float exposureTargetWeight;
        private float clickTemperature;
        private float exposureTemperature;
        private List<Integer> rankPackageCounts;
        private float rankPackageHotShare;
        private int hardNegativeCacheSize;
        private int hardNegatives;
        private float idDropoutStart;
        private long idDropoutAnnealSteps;
        private RankLoss rankLoss;
        private float rankLossWeight;

        private Builder(HstuConfig c) {
            itemCapacity = c.itemCapacity;
            embeddingDim = c.embeddingDim;
            numLayers = c.numLayers;
            numHeads = c.numHeads;
            attentionDim = c.attentionDim;
            linearDim = c.linearDim;
            maxSeqLen = c.maxSeqLen;
            dropout = c.dropout;
            numActions = c.numActions;
            positionBuckets = c.positionBuckets;
            timeBuckets = c.timeBuckets;
            normType = c.normType;
            attentionNorm = c.attentionNorm;
            numNegatives = c.numNegatives;
            inBatchNegatives = c.inBatchNegatives;
            temperature = c.temperature;
            learningRate = c.learningRate;
            weightDecay = c.weightDecay;
            warmupSteps = c.warmupSteps;
            totalSteps = c.totalSteps;
            gradClipNorm = c.gradClipNorm;
            seed = c.seed;
            device = c.device;
            encoder = c.encoder;
            inputDropout = c.inputDropout;
            relativeTimeBias = c.relativeTimeBias;
            negativeSampling = c.negativeSampling;
            popularityWindow = c.popularityWindow;
            logQCorrection = c.logQCorrection;
            timeFeatures = c.timeFeatures;
            gradientAccumulationSteps = c.gradientAccumulationSteps;
            denseFeatureDim = c.denseFeatureDim;
            mixedPrecision = c.mixedPrecision;
            actionEncoder = c.actionEncoder;
            actionBitWeights = c.actionBitWeights;
            featureGating = c.featureGating;
            gatingReduction = c.gatingReduction;
            multimodalDims = c.multimodalDims;
            userFeatureSlots = c.userFeatureSlots;
            userFeatureBuckets = c.userFeatureBuckets;
            clickTargetWeight = c.clickTargetWeight;
            exposureTargetWeight = c.exposureTargetWeight;
            clickTemperature = c.clickTemperature;
            exposureTemperature = c.exposureTemperature;
            rankPackageCounts = c.rankPackageCounts;
            rankPackageHotShare = c.rankPackageHotShare;
            hardNegativeCacheSize = c.hardNegativeCacheSize;
            hardNegatives = c.hardNegatives;
            idDropoutStart = c.idDropoutStart;
            idDropoutAnnealSteps = c.idDropoutAnnealSteps;
            rankLoss = c.rankLoss;
            rankLossWeight = c.rankLossWeight;
        }

        /** @param v item table rows including the two reserved rows @return this */
        public Builder itemCapacity(int v) {
            itemCapacity = v;
            return this;
        }
        /** @param v model width @return this */
        public Builder embeddingDim(int v) {
            embeddingDim = v;
            return this;
        }
        /** @param v STU layers @return this */
        public Builder numLayers(int v) {
            numLayers = v;
            return this;
        }
        /** @param v heads @return this */
        public Builder numHeads(int v) {
            numHeads = v;
            return this;
        }
        /** @param v query/key width per head @return this */
        public Builder attentionDim(int v) {
            attentionDim = v;
            return this;
        }
        /** @param v U/V width per head @return this */
        public Builder linearDim(int v) {
            linearDim = v;
            return this;
        }
        /** @param v longest accepted sequence @return this */
        public Builder maxSeqLen(int v) {
            maxSeqLen = v;
            return this;
        }
        /** @param v dropout rate @return this */
        public Builder dropout(float v) {
            dropout = v;
            return this;
        }
        /** @param v action-bitmask space @return this */
        public Builder numActions(int v) {
            numActions = v;
            return this;
        }
        /** @param v relative position buckets @return this */
        public Builder positionBuckets(int v) {
            positionBuckets = v;
            return this;
        }
        /** @param v relative time buckets @return this */
        public Builder timeBuckets(int v) {
            timeBuckets = v;
            return this;
        }
        /** @param v normalisation @return this */
        public Builder normType(NormType v) {
            normType = v;
            return this;
        }
        /** @param v attention divisor @return this */
        public Builder attentionNorm(AttentionNorm v) {
            attentionNorm = v;
            return this;
        }
        /** @param v uniform negatives per step @return this */
        public Builder numNegatives(int v) {
            numNegatives = v;
            return this;
        }
        /** @param v in-batch negatives per step @return this */
        public Builder inBatchNegatives(int v) {
            inBatchNegatives = v;
            return this;
        }
        /** @param v softmax temperature @return this */
        public Builder temperature(float v) {
            temperature = v;
            return this;
        }
        /** @param v peak learning rate @return this */
        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }
        /** @param v decoupled weight decay @return this */
        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }
        /** @param v warm-up steps @return this */
        public Builder warmupSteps(int v) {
            warmupSteps = v;
            return this;
        }
        /** @param v cosine end step, 0 = none @return this */
        public Builder totalSteps(long v) {
            totalSteps = v;
            return this;
        }
        /** @param v global gradient-norm clip, 0 = off @return this */
        public Builder gradClipNorm(float v) {
            gradClipNorm = v;
            return this;
        }
        /** @param v random seed @return this */
        public Builder seed(long v) {
            seed = v;
            return this;
        }
        /** @param v "cpu", "gpu" or "gpu:N" @return this */
        public Builder device(String v) {
            device = v;
            return this;
        }
        /** @param v HSTU or TRANSFORMER @return this */
        public Builder encoder(EncoderType v) {
            encoder = v;
            return this;
        }
        /** @param v dropout rate on the input embeddings (item + position + action), as in the reference preprocessor @return this */
        public Builder inputDropout(float v) {
            inputDropout = v;
            return this;
        }
        /** @param v add the learned relative time-gap bias to the attention logits (the position bias is always on) @return this */
        public Builder relativeTimeBias(boolean v) {
            relativeTimeBias = v;
            return this;
        }
        /** @param v where the {@code numNegatives} sampled negatives come from @return this */
        public Builder negativeSampling(NegativeSampling v) {
            negativeSampling = v;
            return this;
        }
        /** @param v recent training targets whose frequencies define the {@code POPULARITY} sampling distribution @return this */
        public Builder popularityWindow(int v) {
            popularityWindow = v;
            return this;
        }
        /** @param v subtract the log of each negative's expected sample count from its logit (sampled-softmax correction for popularity-sampled and in-batch negatives) @return this */
        public Builder logQCorrection(boolean v) {
            logQCorrection = v;
            return this;
        }
        /** @param v add hour-of-day, weekday (UTC) and log1p(seconds since the previous event) embeddings to the input @return this */
        public Builder timeFeatures(boolean v) {
            timeFeatures = v;
            return this;
        }
        /** @param v micro-batches whose gradients are summed (each weighted by its share of targets) before one optimiser update @return this */
        public Builder gradientAccumulationSteps(int v) {
            gradientAccumulationSteps = v;
            return this;
        }
        /** @param v width of the per-event dense feature vector, 0 = none @return this */
        public Builder denseFeatureDim(int v) {
            denseFeatureDim = v;
            return this;
        }
        /** @param v see {@link HstuConfig#mixedPrecision()} @return this */
        public Builder mixedPrecision(boolean v) {
            mixedPrecision = v;
            return this;
        }
        /** @param v see {@link HstuConfig#actionEncoder()} @return this */
        public Builder actionEncoder(ActionEncoding v) {
            actionEncoder = v;
            return this;
        }
        /** @param v see {@link HstuConfig#actionBitWeights()} @return this */
        public Builder actionBitWeights(List<Float> v) {
            actionBitWeights = v;
            return this;
        }
        /** @param v one weight per action bit, lowest first @return this */
        public Builder actionBitWeights(float... v) {
            List<Float> weights = new ArrayList<>(v.length);
            for (float w : v) {
                weights.add(w);
            }
            actionBitWeights = weights;
            return this;
        }
        /** @param v see {@link HstuConfig#featureGating()} @return this */
        public Builder featureGating(boolean v) {
            featureGating = v;
            return this;
        }
        /** @param v see {@link HstuConfig#gatingReduction()} @return this */
        public Builder gatingReduction(int v) {
            gatingReduction = v;
            return this;
        }
        /** @param v see {@link HstuConfig#multimodalDims()} @return this */
        public Builder multimodalDims(Map<Integer, Integer> v) {
            multimodalDims = v;
            return this;
        }
        /** @param v see {@link HstuConfig#userFeatureSlots()} @return this */
        public Builder userFeatureSlots(int v) {
            userFeatureSlots = v;
            return this;
        }
        /** @param v see {@link HstuConfig#userFeatureBuckets()} @return this */
        public Builder userFeatureBuckets(int v) {
            userFeatureBuckets = v;
            return this;
        }
        /** @param v see {@link HstuConfig#clickTargetWeight()} @return this */
        public Builder clickTargetWeight(float v) {
            clickTargetWeight = v;
            return this;
        }
        /** @param v see {@link HstuConfig#exposureTargetWeight()} @return this */
        public Builder exposureTargetWeight(float v) {
            exposureTargetWeight = v;
            return this;
        }
        /** @param v see {@link HstuConfig#clickTemperature()} @return this */
        public Builder clickTemperature(float v) {
            clickTemperature = v;
            return this;
        }
        /** @param v see {@link HstuConfig#exposureTemperature()} @return this */
        public Builder exposureTemperature(float v) {
            exposureTemperature = v;
            return this;
        }
        /** @param v see {@link HstuConfig#rankPackageCounts()} @return this */
        public Builder rankPackageCounts(List<Integer> v) {
            rankPackageCounts = v;
            return this;
        }
        /** @param v [coldClick, hotClick, coldExposure, hotExposure, random] @return this */
        public Builder rankPackageCounts(int... v) {
            List<Integer> counts = new ArrayList<>(v.length);
            for (int n : v) {
                counts.add(n);
            }
            rankPackageCounts = counts;
            return this;
        }
        /** @param v see {@link HstuConfig#rankPackageHotShare()} @return this */
        public Builder rankPackageHotShare(float v) {
            rankPackageHotShare = v;
            return this;
        }
        /** @param v see {@link HstuConfig#hardNegativeCacheSize()} @return this */
        public Builder hardNegativeCacheSize(int v) {
            hardNegativeCacheSize = v;
            return this;
        }
        /** @param v see {@link HstuConfig#hardNegatives()} @return this */
        public Builder hardNegatives(int v) {
            hardNegatives = v;
            return this;
        }
        /** @param v see {@link HstuConfig#idDropoutStart()} @return this */
        public Builder idDropoutStart(float v) {
            idDropoutStart = v;
            return this;
        }
        /** @param v see {@link HstuConfig#idDropoutAnnealSteps()} @return this */
        public Builder idDropoutAnnealSteps(long v) {
            idDropoutAnnealSteps = v;
            return this;
        }
        /** @param v see {@link HstuConfig#rankLoss()} @return this */
        public Builder rankLoss(RankLoss v) {
            rankLoss = v;
            return this;
        }
        /** @param v see {@link HstuConfig#rankLossWeight()} @return this */
        public Builder rankLossWeight(float v) {
            rankLossWeight = v;
            return this;
        }

        /**
         * Builds and validates.
         *
         * @return the config
         * @throws IllegalArgumentException naming an invalid field
         */
        public HstuConfig build() {
            return new HstuConfig(
                            itemCapacity,
                            embeddingDim,
                            numLayers,
                            numHeads,
                            attentionDim,
                            linearDim,
                            maxSeqLen,
                            dropout,
                            numActions,
                            positionBuckets,
                            timeBuckets,
                            normType,
                            attentionNorm,
                            numNegatives,
                            inBatchNegatives,
                            temperature,
                            learningRate,
                            weightDecay,
                            warmupSteps,
                            totalSteps,
                            gradClipNorm,
                            seed,
                            device,
                            encoder,
                            inputDropout,
                            relativeTimeBias,
                            negativeSampling,
                            popularityWindow,
                            logQCorrection,
                            timeFeatures,
                            gradientAccumulationSteps,
                            denseFeatureDim,
                            mixedPrecision,
                            actionEncoder,
                            actionBitWeights,
                            featureGating,
                            gatingReduction,
                            multimodalDims,
                            userFeatureSlots,
                            userFeatureBuckets,
                            clickTargetWeight,
                            exposureTargetWeight,
                            clickTemperature,
                            exposureTemperature,
                            rankPackageCounts,
                            rankPackageHotShare,
                            hardNegativeCacheSize,
                            hardNegatives,
                            idDropoutStart,
                            idDropoutAnnealSteps,
                            rankLoss,
                            rankLossWeight)
                    .validate();
        }
    }
}
