package dev.hstu.model.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hstu.model.config.ActionEncoding;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.NegativeSampling;
import dev.hstu.model.config.RankLoss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The model configuration of a training run: a JSON or YAML file (absent fields take defaults)
 * overridden by any flag given.
 */
public final class ModelOptions {

    @Option(names = "--config", description = "HstuConfig as JSON or YAML (.yaml/.yml); absent fields take defaults")
    Path config;

    @Option(names = "--encoder", description = "HSTU or TRANSFORMER (SASRec-style baseline)")
    EncoderType encoder;

    @Option(names = "--dim", description = "embedding width d")
    Integer dim;

    @Option(names = "--layers", description = "number of layers")
    Integer layers;

    @Option(names = "--heads", description = "attention heads")
    Integer heads;

    @Option(names = "--max-seq-len", description = "most recent events per sequence")
    Integer maxSeqLen;

    @Option(names = "--dropout", description = "dropout rate")
    Float dropout;

    @Option(names = "--lr", description = "peak learning rate")
    Float learningRate;

    @Option(names = "--negatives", description = "sampled negatives per step")
    Integer negatives;

    @Option(names = "--in-batch-negatives", description = "in-batch negatives per step")
    Integer inBatchNegatives;

    @Option(names = "--temperature", description = "softmax temperature")
    Float temperature;

    @Option(names = "--warmup-steps", description = "learning-rate warm-up steps")
    Integer warmupSteps;

    @Option(names = "--weight-decay", description = "AdamW weight decay")
    Float weightDecay;

    @Option(names = "--seed", description = "random seed")
    Long seed;

    @Option(names = "--device", description = "cpu, gpu or gpu:N")
    String device;

    @Option(names = "--input-dropout", description = "dropout rate on the input embeddings")
    Float inputDropout;

    @Option(names = "--time-bias", arity = "1", description = "relative time-gap attention bias: true or false")
    Boolean relativeTimeBias;

    @Option(
            names = "--time-features",
            arity = "1",
            description = "hour-of-week and gap-to-previous input embeddings: true or false")
    Boolean timeFeatures;

    @Option(names = "--negative-sampling", description = "UNIFORM or POPULARITY")
    NegativeSampling negativeSampling;

    @Option(
            names = "--logq",
            arity = "1",
            description = "logQ correction of sampled and in-batch negatives: true or false")
    Boolean logQCorrection;

    @Option(names = "--grad-accumulation", description = "micro-batches per optimiser update")
    Integer gradientAccumulationSteps;

    @Option(
            names = "--action-encoder",
            converter = ActionEncodingConverter.class,
            description = "VALUE (a row per action bitmask) or BITS (a weighted row per action bit), any case")
    ActionEncoding actionEncoder;

    @Option(
            names = "--action-bit-weights",
            split = ",",
            paramLabel = "W",
            description = "with --action-encoder BITS, one weight per action bit, lowest first (default: all 1)")
    List<Float> actionBitWeights;

    @Option(
            names = "--feature-gating",
            arity = "1",
            description = "SENet gate over the input feature fields: true or false")
    Boolean featureGating;

    @Option(names = "--gating-reduction", description = "squeeze ratio of the SENet gate")
    Integer gatingReduction;

    @Option(
            names = "--multimodal-dim",
            paramLabel = "ID=DIM",
            description = "width of multimodal feature ID (repeat per feature; its file is given with --multimodal)")
    Map<Integer, Integer> multimodalDims;

    @Option(
            names = "--click-target-weight",
            description = "loss weight of targets whose event was a click (action bit 0)")
    Float clickTargetWeight;

    @Option(names = "--exposure-target-weight", description = "loss weight of targets whose event was an exposure only")
    Float exposureTargetWeight;

    @Option(names = "--click-temperature", description = "softmax temperature of click targets (0: --temperature)")
    Float clickTemperature;

    @Option(
            names = "--exposure-temperature",
            description = "softmax temperature of exposure-only targets (0: --temperature)")
    Float exposureTemperature;

    @Option(
            names = "--rank-package",
            split = ",",
            paramLabel = "N",
            description =
                    "per target, negatives from the user's history: coldClick,hotClick,coldExposure,hotExposure,random")
    List<Integer> rankPackageCounts;

    @Option(names = "--rank-package-hot-share", description = "share of recent targets made up by the hot items")
    Float rankPackageHotShare;

    @Option(names = "--hard-negative-cache", description = "items kept in the hard-negative cache; 0 = off")
    Integer hardNegativeCacheSize;

    @Option(
            names = "--hard-negatives",
            description = "cached hard negatives mixed into each step (and harvested from it)")
    Integer hardNegatives;

    @Option(names = "--id-dropout", description = "item-ID embedding dropout at step 0, annealed to 0; 0 = off")
    Float idDropoutStart;

    @Option(names = "--id-dropout-anneal-steps", description = "steps over which the item-ID dropout decays to 0")
    Long idDropoutAnnealSteps;

    @Option(
            names = "--rank-loss",
            converter = RankLossConverter.class,
            description = "NONE, PAIRWISE or LISTWISE, any case")
    RankLoss rankLoss;

    @Option(names = "--rank-loss-weight", description = "weight of the rank loss added to InfoNCE")
    Float rankLossWeight;

    /**
     * @return the file's config (or the defaults) with the flags applied, not yet validated
     * @throws IOException if the file cannot be read
     */
    public HstuConfig.Builder resolve() throws IOException {
        HstuConfig base = config == null ? HstuConfig.defaults() : read(config);
        HstuConfig.Builder b = base.toBuilder();
        if (encoder != null) b.encoder(encoder);
        if (dim != null) b.embeddingDim(dim);
        if (layers != null) b.numLayers(layers);
        if (heads != null) b.numHeads(heads);
        if (maxSeqLen != null) b.maxSeqLen(maxSeqLen);
        if (dropout != null) b.dropout(dropout);
        if (learningRate != null) b.learningRate(learningRate);
        if (negatives != null) b.numNegatives(negatives);
        if (inBatchNegatives != null) b.inBatchNegatives(inBatchNegatives);
        if (temperature != null) b.temperature(temperature);
        if (warmupSteps != null) b.warmupSteps(warmupSteps);
        if (weightDecay != null) b.weightDecay(weightDecay);
        if (seed != null) b.seed(seed);
        if (device != null) b.device(device);
        if (inputDropout != null) b.inputDropout(inputDropout);
        if (relativeTimeBias != null) b.relativeTimeBias(relativeTimeBias);
        if (timeFeatures != null) b.timeFeatures(timeFeatures);
        if (negativeSampling != null) b.negativeSampling(negativeSampling);
        if (logQCorrection != null) b.logQCorrection(logQCorrection);
        if (gradientAccumulationSteps != null) b.gradientAccumulationSteps(gradientAccumulationSteps);
        if (actionEncoder != null) b.actionEncoder(actionEncoder);
        if (actionBitWeights != null) b.actionBitWeights(actionBitWeights);
        if (featureGating != null) b.featureGating(featureGating);
        if (gatingReduction != null) b.gatingReduction(gatingReduction);
        if (multimodalDims != null) b.multimodalDims(multimodalDims);
        if (clickTargetWeight != null) b.clickTargetWeight(clickTargetWeight);
        if (exposureTargetWeight != null) b.exposureTargetWeight(exposureTargetWeight);
        if (clickTemperature != null) b.clickTemperature(clickTemperature);
        if (exposureTemperature != null) b.exposureTemperature(exposureTemperature);
        if (rankPackageCounts != null) b.rankPackageCounts(rankPackageCounts);
        if (rankPackageHotShare != null) b.rankPackageHotShare(rankPackageHotShare);
        if (hardNegativeCacheSize != null) b.hardNegativeCacheSize(hardNegativeCacheSize);
        if (hardNegatives != null) b.hardNegatives(hardNegatives);
        if (idDropoutStart != null) b.idDropoutStart(idDropoutStart);
        if (idDropoutAnnealSteps != null) b.idDropoutAnnealSteps(idDropoutAnnealSteps);
        if (rankLoss != null) b.rankLoss(rankLoss);
        if (rankLossWeight != null) b.rankLossWeight(rankLossWeight);
        return b;
    }

    /** Accepts {@code bits} as the config file does. */
    static final class ActionEncodingConverter implements ITypeConverter<ActionEncoding> {
        @Override
        public ActionEncoding convert(String value) {
            return ActionEncoding.parse(value);
        }
    }

    /** Accepts {@code pairwise} as the config file does. */
    static final class RankLossConverter implements ITypeConverter<RankLoss> {
        @Override
        public RankLoss convert(String value) {
            return RankLoss.parse(value);
        }
    }

    /**
     * @param file a JSON or YAML (by extension) config file
     * @return the validated config
     * @throws IOException if the file cannot be read
     */
    public static HstuConfig read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            JsonNode tree = new YAMLMapper().readTree(Files.readString(file));
            return HstuConfig.fromJson(tree == null ? "{}" : tree.toString());
        }
        return HstuConfig.read(file);
    }
}
