package dev.hstu.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HstuConfigTest {

    @Test
    void defaultsAreValidAndMatchTheRecsysRecipe() {
        HstuConfig c = HstuConfig.defaults().validate();
        assertThat(c.encoder().embeddingDim()).isEqualTo(64);
        assertThat(c.stu().numLayers()).isEqualTo(2);
        assertThat(c.encoder().maxSeqLen()).isEqualTo(200);
        assertThat(c.task().numNegatives()).isEqualTo(128);
        assertThat(c.task().temperature()).isEqualTo(0.05f);
        assertThat(c.optimizer().weightDecay()).isZero();
        assertThat(c.stu().attentionNorm()).isEqualTo(AttentionNorm.VALID_KEYS);
    }

    @Test
    void jsonRoundTripsAndMissingFieldsTakeDefaults() {
        HstuConfig custom = HstuConfig.defaults()
                .with("encoder.embeddingDim", 32)
                .with("stu.normType", NormType.RMS)
                .with("runtime.device", "gpu:1")
                .with("optimizer.totalSteps", 5000)
                .validate();
        assertThat(HstuConfig.fromJson(custom.toJson())).isEqualTo(custom);

        HstuConfig partial = HstuConfig.fromJson(
                "{\"encoder\": {\"embeddingDim\": 128}, \"stu\": {\"numHeads\": 4, \"attentionNorm\": \"MAX_LEN\"}}");
        assertThat(partial.encoder().embeddingDim()).isEqualTo(128);
        assertThat(partial.stu().numHeads()).isEqualTo(4);
        assertThat(partial.stu().attentionNorm()).isEqualTo(AttentionNorm.MAX_LEN);
        assertThat(partial.encoder().maxSeqLen())
                .isEqualTo(HstuConfig.defaults().encoder().maxSeqLen());
        assertThat(partial.stu().numLayers())
                .isEqualTo(HstuConfig.defaults().stu().numLayers());
    }

    @Test
    void badJsonIsRejectedNamingTheField() {
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"encoder\": {\"embedingDim\": 32}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedingDim");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"stu\": {\"normType\": \"BATCH\"}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BATCH")
                .hasMessageContaining("stu.normType");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"stu\": {\"dropout\": 1.5}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model.stu.dropout must be in [0, 1), got 1.5");
        assertThatThrownBy(() -> HstuConfig.defaults().with("stu.layers", 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layers");
        assertThatThrownBy(() -> HstuConfig.defaults().with("stu.numLayers.x", 4))
                .hasMessage("cannot set stu.numLayers.x: stu.numLayers is a setting, not a group");
    }

    @Test
    void validateNamesTheFieldAndValueAndReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> HstuConfig.defaults()
                        .with("encoder.embeddingDim", 50)
                        .with("stu.numHeads", 4)
                        .validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model.encoder.embeddingDim must be divisible by stu.numHeads=4, got 50");
        assertThatThrownBy(() -> HstuConfig.defaults().with("items.capacity", 2).validate())
                .hasMessageStartingWith("model.items.capacity must be >= 3");
        assertThatThrownBy(() ->
                        HstuConfig.defaults().with("runtime.device", "cuda").validate())
                .hasMessageStartingWith("model.runtime.device must be");
        assertThatThrownBy(() -> HstuConfig.defaults()
                        .with("optimizer.warmupSteps", 100)
                        .with("optimizer.totalSteps", 50)
                        .validate())
                .hasMessageStartingWith(
                        "model.optimizer.totalSteps must be 0 (constant after warm-up) or greater than warmupSteps=100");
        assertThatThrownBy(
                        () -> HstuConfig.defaults().with("task.temperature", 0f).validate())
                .hasMessage("model.task.temperature must be > 0, got 0.0");
        assertThatThrownBy(() -> HstuConfig.defaults()
                        .with("stu.numLayers", 0)
                        .with("task.temperature", 0f)
                        .with("runtime.device", "tpu")
                        .validate())
                .hasMessageStartingWith("invalid model configuration:")
                .hasMessageContaining("model.stu.numLayers must be >= 1, got 0")
                .hasMessageContaining("model.task.temperature must be > 0, got 0.0")
                .hasMessageContaining("model.runtime.device must be");
        assertThatThrownBy(() -> HstuConfig.defaults()
                        .with("runtime.mixedPrecision", true)
                        .with("optimizer.gradientAccumulationSteps", 2)
                        .validate())
                .hasMessageStartingWith("model.runtime.mixedPrecision needs optimizer.gradientAccumulationSteps = 1");
    }

    @Test
    void settingsFromTextTakeTheirTypes() {
        HstuConfig c = HstuConfig.defaults()
                .withSettings(Map.of(
                        "stu.numLayers", "4",
                        "stu.relativeTimeBias", "false",
                        "features.actions.encoding", "bits",
                        "features.multimodalDims", "{81: 32}",
                        "task.rankPackage.counts", "[2, 1, 2, 1, 3]",
                        "optimizer.learningRate", "0.002"))
                .validate();
        assertThat(c.stu().numLayers()).isEqualTo(4);
        assertThat(c.stu().relativeTimeBias()).isFalse();
        assertThat(c.features().actions().encoding()).isEqualTo(ActionEncoding.BITS);
        assertThat(c.features().multimodalDims()).containsExactly(Map.entry(81, 32));
        assertThat(c.task().rankPackage().counts()).containsExactly(2, 1, 2, 1, 3);
        assertThat(c.task().rankPackage().hotShare()).as("the group's default").isEqualTo(0.5f);
        assertThat(c.optimizer().learningRate()).isEqualTo(0.002f);
        assertThat(c.withSettings(Map.of("task.rankPackage", "null")).task().rankPackage())
                .as("null turns an optional group off")
                .isNull();
        assertThatThrownBy(() -> HstuConfig.defaults().withSettings(Map.of("stu.numLayers", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stu.numLayers");
    }

    @Test
    void theFlatFormOfOlderModelsReadsAsTheComposedOne() {
        HstuConfig flat = HstuConfig.fromJson("{\"embeddingDim\": 32, \"numLayers\": 3, \"encoder\": \"TRANSFORMER\","
                + " \"timeFeatures\": true, \"denseFeatureDim\": 4, \"featureGating\": false, \"gatingReduction\": 3,"
                + " \"userFeatureSlots\": 0, \"userFeatureBuckets\": 0, \"rankPackageCounts\": [0, 0, 0, 0, 0],"
                + " \"hardNegativeCacheSize\": 0, \"hardNegatives\": 16, \"idDropoutStart\": 0,"
                + " \"idDropoutAnnealSteps\": 100, \"learningRate\": 0.002, \"seed\": 7}");
        HstuConfig composed = HstuConfig.defaults()
                .with("encoder.embeddingDim", 32)
                .with("stu.numLayers", 3)
                .with("encoder.type", EncoderType.TRANSFORMER)
                .with("features.time", true)
                .with("features.denseDim", 4)
                .with("optimizer.learningRate", 0.002f)
                .with("runtime.seed", 7L)
                .validate();
        assertThat(flat).as("switches that were off leave their groups out").isEqualTo(composed);

        HstuConfig on = HstuConfig.fromJson("{\"featureGating\": true, \"gatingReduction\": 3,"
                + " \"userFeatureSlots\": 4, \"userFeatureBuckets\": 1000, \"rankPackageCounts\": [2, 1, 2, 1, 3],"
                + " \"rankPackageHotShare\": 0.3, \"hardNegativeCacheSize\": 512, \"hardNegatives\": 16,"
                + " \"idDropoutStart\": 0.3, \"idDropoutAnnealSteps\": 2000, \"rankLoss\": \"listwise\"}");
        assertThat(on.features().gating()).isEqualTo(new GatingConfig(3));
        assertThat(on.features().userFeatures()).isEqualTo(new UserFeaturesConfig(4, 1000));
        assertThat(on.task().rankPackage()).isEqualTo(new RankPackageConfig(List.of(2, 1, 2, 1, 3), 0.3f));
        assertThat(on.task().hardNegatives()).isEqualTo(new HardNegativesConfig(512, 16));
        assertThat(on.features().idDropout()).isEqualTo(new IdDropoutConfig(0.3f, 2000));
        assertThat(on.task().rankLoss()).isEqualTo(RankLoss.LISTWISE);
        assertThat(HstuConfig.fromJson(on.toJson())).as("written composed").isEqualTo(on);
        assertThat(on.toJson()).doesNotContain("featureGating").contains("\"gating\"");

        assertThatThrownBy(() -> HstuConfig.fromJson("{\"numLayers\": 3, \"stu\": {\"numHeads\": 4}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'stu' in a flat (legacy) config");
        assertThat(LegacyFlatConfig.composedKey("rankPackageHotShare")).contains("task.rankPackage.hotShare");
    }

    @Test
    void optionalFeaturesAreAbsentByDefault() {
        HstuConfig d = HstuConfig.fromJson("{\"encoder\": {\"embeddingDim\": 32}}");
        assertThat(d.features().actions().encoding()).isEqualTo(ActionEncoding.VALUE);
        assertThat(d.features().actions().bitWeights()).isEmpty();
        assertThat(d.features().time()).isFalse();
        assertThat(d.features().denseDim()).isZero();
        assertThat(d.features().gating()).isNull();
        assertThat(d.features().multimodalDims()).isEmpty();
        assertThat(d.features().userFeatures()).isNull();
        assertThat(d.features().userFeatureSlots()).isZero();
        assertThat(d.features().idDropout()).isNull();
        assertThat(d.task().actionAwareLoss()).isFalse();
        assertThat(d.task().temperatureOfClicks()).isEqualTo(d.task().temperature());
        assertThat(d.task().temperatureOfExposures()).isEqualTo(d.task().temperature());
        assertThat(d.task().rankPackage()).isNull();
        assertThat(d.task().rankPackageSize()).isZero();
        assertThat(d.task().hardNegatives()).isNull();
        assertThat(d.task().rankLoss()).isEqualTo(RankLoss.NONE);
        assertThat(d.task().rankLossWeight()).isEqualTo(1f);
        assertThat(d.stu().relativeTimeBias()).isTrue();
        assertThat(d.task().negativeSampling()).isEqualTo(NegativeSampling.UNIFORM);
        assertThat(d.optimizer().gradientAccumulationSteps()).isEqualTo(1);
        assertThat(d.validate()).isEqualTo(d);
        assertThat(d.toJson())
                .doesNotContain("gating")
                .doesNotContain("rankPackage")
                .doesNotContain("null");
    }

    @Test
    void theSeedFeatureSwitchesRoundTripThroughJson() {
        HstuConfig on = HstuConfig.fromJson(
                "{\"features\": {\"actions\": {\"numActions\": 8, \"encoding\": \"bits\","
                        + " \"bitWeights\": [1, 0.5, 2]}, \"gating\": {\"reduction\": 3},"
                        + " \"multimodalDims\": {\"83\": 16, \"81\": 32}, \"userFeatures\": {\"slots\": 4, \"buckets\": 1000}}}");
        assertThat(on.features().actions().encoding()).isEqualTo(ActionEncoding.BITS);
        assertThat(on.features().actions().bits()).isEqualTo(3);
        assertThat(on.features().actions().bitWeights()).containsExactly(1f, 0.5f, 2f);
        assertThat(on.features().gating().reduction()).isEqualTo(3);
        assertThat(on.features().multimodalDims()).containsExactly(Map.entry(81, 32), Map.entry(83, 16));
        assertThat(on.features().userFeatureSlots()).isEqualTo(4);
        assertThat(on.features().userFeatures().buckets()).isEqualTo(1000);
        assertThat(on.toJson()).contains("\"encoding\" : \"BITS\"").contains("\"81\" : 32");
        assertThat(HstuConfig.fromJson(on.toJson())).isEqualTo(on);
        assertThatThrownBy(() -> on.features().multimodalDims().put(82, 8))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> on.features().actions().bitWeights().set(0, 2f))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSeedFeatureSwitchesAreValidatedNamingTheFieldAndValue() {
        HstuConfig d = HstuConfig.defaults();
        assertThat(d.with("features.actions.numActions", 16)
                        .validate()
                        .features()
                        .actions()
                        .bits())
                .isEqualTo(4);
        assertThat(d.with("features.actions.numActions", 17)
                        .validate()
                        .features()
                        .actions()
                        .bits())
                .isEqualTo(5);
        assertThat(d.with("features.actions.numActions", 1)
                        .validate()
                        .features()
                        .actions()
                        .bits())
                .isEqualTo(1);
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"features\": {\"actions\": {\"encoding\": \"ONEHOT\"}}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.features.actions.encoding must be VALUE or BITS, got ONEHOT");
        assertThatThrownBy(() -> d.with("features.actions.bitWeights", List.of(1f, 1f, 1f, 1f))
                        .validate())
                .hasMessageStartingWith("model.features.actions.bitWeights only applies with encoding=BITS");
        assertThatThrownBy(() -> d.with("features.actions.encoding", ActionEncoding.BITS)
                        .with("features.actions.bitWeights", List.of(1f, 2f))
                        .validate())
                .hasMessage("model.features.actions.bitWeights must hold one weight per action bit (numActions=16 has"
                        + " 4 bits), got [1.0, 2.0]");
        assertThatThrownBy(() ->
                        HstuConfig.fromJson("{\"actionEncoder\": \"BITS\", \"actionBitWeights\": [1, null, 1, 1]}"))
                .hasMessageStartingWith("model.features.actions.bitWeights must all be finite numbers");
        assertThatThrownBy(() -> d.with("features.gating.reduction", 0).validate())
                .hasMessage("model.features.gating.reduction must be >= 1, got 0");
        assertThatThrownBy(
                        () -> d.with("features.multimodalDims", Map.of(81, 0)).validate())
                .hasMessage("model.features.multimodalDims widths must be >= 1, got {81=0}");
        assertThatThrownBy(
                        () -> d.with("features.multimodalDims", Map.of(-1, 8)).validate())
                .hasMessage("model.features.multimodalDims feature ids must be >= 1, got {-1=8}");
        // the seed's six features fit at the default capacity: each has a table (and an upload) of its own
        assertThat(d.with("features.multimodalDims", Map.of(81, 32, 82, 1024, 83, 3584, 84, 4096, 85, 3584, 86, 3584))
                        .validate()
                        .features()
                        .multimodalDims())
                .hasSize(6);
        assertThatThrownBy(() -> d.with("items.capacity", 200_000)
                        .with("features.multimodalDims", Map.of(81, 32, 83, 3584))
                        .validate())
                .hasMessageStartingWith("model.features.multimodalDims feature 83 needs items.capacity x width = 200000"
                        + " x 3584 floats, more than one table upload holds (2 GiB)");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"features\": {\"multimodalDims\": {\"image\": 8}}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image");
        assertThatThrownBy(() -> d.with("features.userFeatures.slots", 0).validate())
                .hasMessage("model.features.userFeatures.slots must be >= 1, got 0");
        assertThatThrownBy(() -> d.with("features.userFeatures.buckets", 1).validate())
                .hasMessage("model.features.userFeatures.buckets must be >= 2 (row 0 is the empty slot), got 1");
        assertThatThrownBy(() -> d.with("features.denseDim", -1).validate())
                .hasMessage("model.features.denseDim must be >= 0 (0 = no dense features), got -1");
        assertThatThrownBy(() -> d.with("features.inputDropout", 1f).validate())
                .hasMessage("model.features.inputDropout must be in [0, 1), got 1.0");
    }

    @Test
    void theTrainingTricksRoundTripThroughJsonAndOverrides() {
        HstuConfig on = HstuConfig.fromJson("{\"task\": {\"clickTargetWeight\": 1, \"exposureTargetWeight\": 0.25,"
                + " \"clickTemperature\": 0.04, \"exposureTemperature\": 0.1,"
                + " \"rankPackage\": {\"counts\": [2, 1, 2, 1, 3], \"hotShare\": 0.3},"
                + " \"hardNegatives\": {\"cacheSize\": 512, \"perStep\": 16}, \"rankLoss\": \"listwise\","
                + " \"rankLossWeight\": 0.2}, \"features\": {\"idDropout\": {\"start\": 0.3, \"annealSteps\": 2000}}}");
        assertThat(on.task().actionAwareLoss()).isTrue();
        assertThat(on.task().temperatureOfClicks()).isEqualTo(0.04f);
        assertThat(on.task().temperatureOfExposures()).isEqualTo(0.1f);
        assertThat(on.task().rankPackageSize()).isEqualTo(9);
        assertThat(on.toJson()).contains("\"rankLoss\" : \"LISTWISE\"").contains("\"perStep\" : 16");
        assertThat(HstuConfig.fromJson(on.toJson())).isEqualTo(on);
        HstuConfig built = HstuConfig.defaults()
                .with("task.exposureTargetWeight", 0.25f)
                .with("task.clickTemperature", 0.04f)
                .with("task.exposureTemperature", 0.1f)
                .with("task.rankPackage.counts", List.of(2, 1, 2, 1, 3))
                .with("task.rankPackage.hotShare", 0.3f)
                .with("task.hardNegatives", new HardNegativesConfig(512, 16))
                .with("features.idDropout", new IdDropoutConfig(0.3f, 2000))
                .with("task.rankLoss", RankLoss.LISTWISE)
                .with("task.rankLossWeight", 0.2f)
                .validate();
        assertThat(built).isEqualTo(on);
        assertThatThrownBy(() -> on.task().rankPackage().counts().set(0, 9))
                .isInstanceOf(UnsupportedOperationException.class);
        // one action-aware field is enough to switch the action-aware loss on; the other temperature stays the default
        HstuConfig clicksOnly =
                HstuConfig.defaults().with("task.exposureTargetWeight", 0f).validate();
        assertThat(clicksOnly.task().actionAwareLoss()).isTrue();
        assertThat(clicksOnly.task().temperatureOfExposures())
                .isEqualTo(clicksOnly.task().temperature());
    }

    @Test
    void theTrainingTricksAreValidatedNamingTheFieldAndValue() {
        HstuConfig d = HstuConfig.defaults();
        assertThatThrownBy(() -> d.with("task.clickTargetWeight", -1f).validate())
                .hasMessage("model.task.clickTargetWeight must be >= 0, got -1.0");
        assertThatThrownBy(() -> d.with("task.exposureTargetWeight", Float.NaN).validate())
                .hasMessage("model.task.exposureTargetWeight must be >= 0, got NaN");
        assertThatThrownBy(() -> d.with("task.clickTemperature", -0.1f).validate())
                .hasMessage("model.task.clickTemperature must be > 0, or 0 to use temperature, got -0.1");
        assertThatThrownBy(() ->
                        d.with("task.rankPackage.counts", List.of(1, 2, 3)).validate())
                .hasMessage("model.task.rankPackage.counts must hold 5 counts [coldClick, hotClick, coldExposure,"
                        + " hotExposure, random], got [1, 2, 3]");
        assertThatThrownBy(() -> d.with("task.rankPackage.counts", List.of(1, 1, -1, 1, 1))
                        .validate())
                .hasMessage("model.task.rankPackage.counts must all be >= 0, got [1, 1, -1, 1, 1]");
        assertThatThrownBy(() -> d.with("task.rankPackage.counts", List.of(0, 0, 0, 0, 0))
                        .validate())
                .hasMessageStartingWith("model.task.rankPackage.counts must not all be 0");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"rankPackageCounts\": [1, null, 1, 1, 1]}"))
                .hasMessage("model.task.rankPackage.counts must all be >= 0, got [1, null, 1, 1, 1]");
        assertThatThrownBy(() -> d.with("task.rankPackage.hotShare", 0f).validate())
                .hasMessage("model.task.rankPackage.hotShare must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> d.with("task.hardNegatives.cacheSize", 0).validate())
                .hasMessageContaining("model.task.hardNegatives.cacheSize must be >= 1, got 0");
        assertThatThrownBy(() -> d.with("task.hardNegatives", new HardNegativesConfig(8, 9))
                        .validate())
                .hasMessage("model.task.hardNegatives.perStep must be in [1, cacheSize=8], got 9");
        assertThatThrownBy(() -> d.with("features.idDropout.start", 1f).validate())
                .hasMessage("model.features.idDropout.start must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> d.with("features.idDropout.annealSteps", 0).validate())
                .hasMessage("model.features.idDropout.annealSteps must be >= 1, got 0");
        assertThatThrownBy(() -> d.with("task.rankLoss", RankLoss.LISTWISE).validate())
                .hasMessage("model.task.rankLoss must not be LISTWISE without a rank package (set task.rankPackage),"
                        + " got LISTWISE");
        assertThatThrownBy(() -> d.with("task.rankLoss", RankLoss.PAIRWISE)
                        .with("task.rankLossWeight", -1f)
                        .validate())
                .hasMessage("model.task.rankLossWeight must be >= 0, got -1.0");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"task\": {\"rankLoss\": \"TRIPLET\"}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.task.rankLoss must be NONE, PAIRWISE or LISTWISE, got TRIPLET");
        assertThatThrownBy(() -> d.with("task.popularityWindow", 0).validate())
                .hasMessage("model.task.popularityWindow must be >= 1, got 0");
    }

    @Test
    void fullSoftmaxRefusesEverySettingThatAddsNegativesOrCorrectsSamplingAtOnce() {
        HstuConfig all = HstuConfig.defaults().with("task.negativeSampling", NegativeSampling.ALL);
        assertThat(all.validate().task().negativeSampling()).isEqualTo(NegativeSampling.ALL);
        assertThat(all.with("task.clickTargetWeight", 2f).validate().task().actionAwareLoss())
                .as("action-aware weights and temperatures combine with full softmax")
                .isTrue();
        assertThatThrownBy(() -> all.with("task.logQCorrection", true)
                        .with("task.rankPackage.counts", List.of(1, 1, 1, 1, 1))
                        .with("task.hardNegatives.cacheSize", 64)
                        .with("task.rankLoss", RankLoss.PAIRWISE)
                        .validate())
                .hasMessageContaining("model.task.logQCorrection must be false with task.negativeSampling=ALL")
                .hasMessageContaining("model.task.rankPackage must be absent with task.negativeSampling=ALL")
                .hasMessageContaining("model.task.hardNegatives must be absent with task.negativeSampling=ALL")
                .hasMessageContaining("model.task.rankLoss must be NONE with task.negativeSampling=ALL");
        assertThatThrownBy(() -> all.with("match", Map.of()).validate())
                .hasMessage("model.task.negativeSampling must be UNIFORM or POPULARITY with model.match: ALL would"
                        + " pass the whole catalogue through the item tower every step, got ALL");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"task\": {\"negativeSampling\": \"EVERY\"}}"))
                .hasMessageContaining("negativeSampling");
    }
}
