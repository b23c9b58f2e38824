package dev.hstu.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HstuConfigTest {

    @Test
    void defaultsAreValidAndMatchTheRecsysRecipe() {
        HstuConfig c = HstuConfig.defaults().validate();
        assertThat(c.embeddingDim()).isEqualTo(64);
        assertThat(c.numLayers()).isEqualTo(2);
        assertThat(c.maxSeqLen()).isEqualTo(200);
        assertThat(c.numNegatives()).isEqualTo(128);
        assertThat(c.temperature()).isEqualTo(0.05f);
        assertThat(c.weightDecay()).isZero();
        assertThat(c.attentionNorm()).isEqualTo(AttentionNorm.VALID_KEYS);
    }

    @Test
    void jsonRoundTripsAndMissingFieldsTakeDefaults() {
        HstuConfig custom = HstuConfig.builder()
                .embeddingDim(32)
                .normType(NormType.RMS)
                .device("gpu:1")
                .totalSteps(5000)
                .build();
        assertThat(HstuConfig.fromJson(custom.toJson())).isEqualTo(custom);

        HstuConfig partial =
                HstuConfig.fromJson("{\"embeddingDim\": 128, \"numHeads\": 4, \"attentionNorm\": \"MAX_LEN\"}");
        assertThat(partial.embeddingDim()).isEqualTo(128);
        assertThat(partial.numHeads()).isEqualTo(4);
        assertThat(partial.attentionNorm()).isEqualTo(AttentionNorm.MAX_LEN);
        assertThat(partial.maxSeqLen()).isEqualTo(HstuConfig.defaults().maxSeqLen());
    }

    @Test
    void badJsonIsRejectedNamingTheField() {
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"embedingDim\": 32}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedingDim");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"normType\": \"BATCH\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BATCH");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"dropout\": 1.5}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model.dropout must be in [0, 1), got 1.5");
    }

    @Test
    void validateNamesTheFieldAndValue() {
        assertThatThrownBy(
                        () -> HstuConfig.builder().embeddingDim(50).numHeads(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model.embeddingDim must be > 0 and divisible by numHeads, got 50 with 4 heads");
        assertThatThrownBy(() -> HstuConfig.builder().itemCapacity(2).build())
                .hasMessageStartingWith("model.itemCapacity must be >= 3");
        assertThatThrownBy(() -> HstuConfig.builder().device("cuda").build())
                .hasMessageStartingWith("model.device must be");
        assertThatThrownBy(() ->
                        HstuConfig.builder().warmupSteps(100).totalSteps(50).build())
                .hasMessageStartingWith("model.totalSteps must be 0 or greater than warmupSteps=100");
        assertThatThrownBy(() -> HstuConfig.builder().temperature(0f).build())
                .hasMessage("model.temperature must be > 0, got 0.0");
    }

    @Test
    void trainingOptionsOfTheIssueParseFromJsonAndAreValidated() {
        HstuConfig c = HstuConfig.fromJson(
                "{\"negativeSampling\":\"POPULARITY\",\"logQCorrection\":true,"
                        + "\"timeFeatures\":true,\"relativeTimeBias\":false,\"inputDropout\":0.3,\"gradientAccumulationSteps\":4}");
        assertThat(c.negativeSampling()).isEqualTo(NegativeSampling.POPULARITY);
        assertThat(c.logQCorrection()).isTrue();
        assertThat(c.timeFeatures()).isTrue();
        assertThat(c.relativeTimeBias()).isFalse();
        assertThat(c.inputDropout()).isEqualTo(0.3f);
        assertThat(c.gradientAccumulationSteps()).isEqualTo(4);
        assertThat(HstuConfig.fromJson(c.toJson())).isEqualTo(c);
        // defaults keep checkpoints written before these fields loadable and trained as before
        HstuConfig d = HstuConfig.defaults();
        assertThat(d.relativeTimeBias()).isTrue();
        assertThat(d.timeFeatures()).isFalse();
        assertThat(d.negativeSampling()).isEqualTo(NegativeSampling.UNIFORM);
        assertThat(d.gradientAccumulationSteps()).isEqualTo(1);
        assertThatThrownBy(() -> HstuConfig.builder().inputDropout(1f).build())
                .hasMessage("model.inputDropout must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> HstuConfig.builder().popularityWindow(0).build())
                .hasMessage("model.popularityWindow must be >= 1, got 0");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"negativeSampling\":\"SOMETIMES\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SOMETIMES");
    }

    @Test
    void denseFeaturesAreOffByDefaultAndOlderConfigsLoadWithoutThem() {
        assertThat(HstuConfig.defaults().denseFeatureDim()).isZero();
        assertThat(HstuConfig.fromJson("{\"embeddingDim\": 32}").denseFeatureDim())
                .isZero();
        HstuConfig on = HstuConfig.fromJson("{\"denseFeatureDim\": 8}");
        assertThat(on.denseFeatureDim()).isEqualTo(8);
        assertThat(HstuConfig.fromJson(on.toJson())).isEqualTo(on);
        assertThat(on.toBuilder().embeddingDim(32).build().denseFeatureDim()).isEqualTo(8);
        assertThatThrownBy(() -> HstuConfig.builder().denseFeatureDim(-1).build())
                .hasMessage("model.denseFeatureDim must be >= 0 (0 = no dense features), got -1");
    }

    @Test
    void theSeedFeatureSwitchesAreOffByDefaultSoOlderConfigsMeanWhatTheyMeant() {
        HstuConfig d = HstuConfig.fromJson("{\"embeddingDim\": 32}");
        assertThat(d.actionEncoder()).isEqualTo(ActionEncoding.VALUE);
        assertThat(d.actionBitWeights()).isEmpty();
        assertThat(d.featureGating()).isFalse();
        assertThat(d.gatingReduction()).isEqualTo(2);
        assertThat(d.multimodalDims()).isEmpty();
        assertThat(d.userFeatureSlots()).isZero();
        assertThat(d.userFeatureBuckets()).isZero();
        assertThat(d.toBuilder().build()).isEqualTo(d);
    }

    @Test
    void theSeedFeatureSwitchesRoundTripThroughJsonAndTheBuilder() {
        HstuConfig on = HstuConfig.fromJson(
                "{\"numActions\": 8, \"actionEncoder\": \"bits\", \"actionBitWeights\": [1, 0.5, 2],"
                        + " \"featureGating\": true, \"gatingReduction\": 3, \"multimodalDims\": {\"83\": 16, \"81\": 32},"
                        + " \"userFeatureSlots\": 4, \"userFeatureBuckets\": 1000}");
        assertThat(on.actionEncoder()).isEqualTo(ActionEncoding.BITS);
        assertThat(on.actionBits()).isEqualTo(3);
        assertThat(on.actionBitWeights()).containsExactly(1f, 0.5f, 2f);
        assertThat(on.featureGating()).isTrue();
        assertThat(on.gatingReduction()).isEqualTo(3);
        assertThat(on.multimodalDims()).containsExactly(java.util.Map.entry(81, 32), java.util.Map.entry(83, 16));
        assertThat(on.userFeatureSlots()).isEqualTo(4);
        assertThat(on.userFeatureBuckets()).isEqualTo(1000);
        assertThat(on.toJson()).contains("\"actionEncoder\" : \"BITS\"").contains("\"81\" : 32");
        assertThat(HstuConfig.fromJson(on.toJson())).isEqualTo(on);
        HstuConfig built = HstuConfig.builder()
                .numActions(8)
                .actionEncoder(ActionEncoding.BITS)
                .actionBitWeights(1f, 0.5f, 2f)
                .featureGating(true)
                .gatingReduction(3)
                .multimodalDims(java.util.Map.of(81, 32, 83, 16))
                .userFeatureSlots(4)
                .userFeatureBuckets(1000)
                .build();
        assertThat(built).isEqualTo(on);
        assertThat(on.toBuilder().embeddingDim(32).build().multimodalDims()).isEqualTo(on.multimodalDims());
        assertThatThrownBy(() -> on.multimodalDims().put(82, 8)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSeedFeatureSwitchesAreValidatedNamingTheFieldAndValue() {
        assertThat(HstuConfig.builder().numActions(16).build().actionBits()).isEqualTo(4);
        assertThat(HstuConfig.builder().numActions(17).build().actionBits()).isEqualTo(5);
        assertThat(HstuConfig.builder().numActions(1).build().actionBits()).isEqualTo(1);
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"actionEncoder\": \"ONEHOT\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.actionEncoder must be VALUE or BITS, got ONEHOT");
        assertThatThrownBy(() ->
                        HstuConfig.builder().actionBitWeights(1f, 1f, 1f, 1f).build())
                .hasMessageStartingWith("model.actionBitWeights only applies with actionEncoder=BITS");
        assertThatThrownBy(() -> HstuConfig.builder()
                        .actionEncoder(ActionEncoding.BITS)
                        .actionBitWeights(1f, 2f)
                        .build())
                .hasMessage(
                        "model.actionBitWeights must hold one weight per action bit (numActions=16 has 4 bits), got [1.0, 2.0]");
        assertThatThrownBy(() -> HstuConfig.builder()
                        .actionEncoder(ActionEncoding.BITS)
                        .actionBitWeights(1f, 1f, Float.NaN, 1f)
                        .build())
                .hasMessageStartingWith("model.actionBitWeights must all be finite numbers");
        assertThatThrownBy(() ->
                        HstuConfig.fromJson("{\"actionEncoder\": \"BITS\", \"actionBitWeights\": [1, null, 1, 1]}"))
                .hasMessageStartingWith("model.actionBitWeights must all be finite numbers");
        assertThatThrownBy(() -> HstuConfig.builder().gatingReduction(0).build())
                .hasMessage("model.gatingReduction must be >= 1, got 0");
        assertThatThrownBy(() -> HstuConfig.builder()
                        .multimodalDims(java.util.Map.of(81, 0))
                        .build())
                .hasMessage("model.multimodalDims widths must be >= 1, got {81=0}");
        assertThatThrownBy(() -> HstuConfig.builder()
                        .multimodalDims(java.util.Map.of(-1, 8))
                        .build())
                .hasMessage("model.multimodalDims feature ids must be >= 1, got {-1=8}");
        // the seed's six features fit at the default capacity: each has a table (and an upload) of its own
        assertThat(HstuConfig.builder()
                        .multimodalDims(java.util.Map.of(81, 32, 82, 1024, 83, 3584, 84, 4096, 85, 3584, 86, 3584))
                        .build()
                        .multimodalDims())
                .hasSize(6);
        assertThatThrownBy(() -> HstuConfig.builder()
                        .itemCapacity(200_000)
                        .multimodalDims(java.util.Map.of(81, 32, 83, 3584))
                        .build())
                .hasMessageStartingWith(
                        "model.multimodalDims feature 83 needs itemCapacity x width = 200000 x 3584 floats,"
                                + " more than one table upload holds (2 GiB)");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"multimodalDims\": {\"image\": 8}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image");
        assertThatThrownBy(() -> HstuConfig.builder().userFeatureSlots(-1).build())
                .hasMessage("model.userFeatureSlots must be >= 0 (0 = no user features), got -1");
        assertThatThrownBy(() -> HstuConfig.builder().userFeatureSlots(4).build())
                .hasMessage(
                        "model.userFeatureBuckets must be >= 2 with userFeatureSlots > 0 (row 0 is the empty slot), got 0");
        assertThatThrownBy(() -> HstuConfig.builder().userFeatureBuckets(100).build())
                .hasMessage(
                        "model.userFeatureBuckets must be 0 without user features (set userFeatureSlots too), got 100");
    }

    @Test
    void theTrainingTricksAreOffByDefaultSoOlderConfigsTrainAsBefore() {
        HstuConfig d = HstuConfig.fromJson("{\"embeddingDim\": 32}");
        assertThat(d.clickTargetWeight()).isEqualTo(1f);
        assertThat(d.exposureTargetWeight()).isEqualTo(1f);
        assertThat(d.clickTemperature()).isZero();
        assertThat(d.exposureTemperature()).isZero();
        assertThat(d.actionAwareLoss()).isFalse();
        assertThat(d.temperatureOfClicks()).isEqualTo(d.temperature());
        assertThat(d.temperatureOfExposures()).isEqualTo(d.temperature());
        assertThat(d.rankPackageCounts()).isEmpty();
        assertThat(d.rankPackageSize()).isZero();
        assertThat(d.rankPackageHotShare()).isEqualTo(0.5f);
        assertThat(d.hardNegativeCacheSize()).isZero();
        assertThat(d.hardNegatives()).isZero();
        assertThat(d.idDropoutStart()).isZero();
        assertThat(d.idDropoutAnnealSteps()).isZero();
        assertThat(d.rankLoss()).isEqualTo(RankLoss.NONE);
        assertThat(d.rankLossWeight()).isEqualTo(1f);
        // an all-zero package is off too, so an ablation can override a config file from the command line
        assertThat(HstuConfig.builder().rankPackageCounts(0, 0, 0, 0, 0).build().rankPackageSize())
                .isZero();
    }

    @Test
    void theTrainingTricksRoundTripThroughJsonAndTheBuilder() {
        HstuConfig on = HstuConfig.fromJson(
                "{\"clickTargetWeight\": 1, \"exposureTargetWeight\": 0.25,"
                        + " \"clickTemperature\": 0.04, \"exposureTemperature\": 0.1, \"rankPackageCounts\": [2, 1, 2, 1, 3],"
                        + " \"rankPackageHotShare\": 0.3, \"hardNegativeCacheSize\": 512, \"hardNegatives\": 16,"
                        + " \"idDropoutStart\": 0.3, \"idDropoutAnnealSteps\": 2000, \"rankLoss\": \"listwise\", \"rankLossWeight\": 0.2}");
        assertThat(on.actionAwareLoss()).isTrue();
        assertThat(on.temperatureOfClicks()).isEqualTo(0.04f);
        assertThat(on.temperatureOfExposures()).isEqualTo(0.1f);
        assertThat(on.rankPackageCounts()).containsExactly(2, 1, 2, 1, 3);
        assertThat(on.rankPackageSize()).isEqualTo(9);
        assertThat(on.rankLoss()).isEqualTo(RankLoss.LISTWISE);
        assertThat(on.toJson()).contains("\"rankLoss\" : \"LISTWISE\"").contains("\"hardNegatives\" : 16");
        assertThat(HstuConfig.fromJson(on.toJson())).isEqualTo(on);
        HstuConfig built = HstuConfig.builder()
                .exposureTargetWeight(0.25f)
                .clickTemperature(0.04f)
                .exposureTemperature(0.1f)
                .rankPackageCounts(2, 1, 2, 1, 3)
                .rankPackageHotShare(0.3f)
                .hardNegativeCacheSize(512)
                .hardNegatives(16)
                .idDropoutStart(0.3f)
                .idDropoutAnnealSteps(2000)
                .rankLoss(RankLoss.LISTWISE)
                .rankLossWeight(0.2f)
                .build();
        assertThat(built).isEqualTo(on);
        assertThat(on.toBuilder().embeddingDim(32).build().rankPackageCounts()).isEqualTo(on.rankPackageCounts());
        assertThatThrownBy(() -> on.rankPackageCounts().set(0, 9)).isInstanceOf(UnsupportedOperationException.class);
        // one action-aware field is enough to switch the action-aware loss on; the other temperature stays the default
        HstuConfig clicksOnly = HstuConfig.builder().exposureTargetWeight(0f).build();
        assertThat(clicksOnly.actionAwareLoss()).isTrue();
        assertThat(clicksOnly.temperatureOfExposures()).isEqualTo(clicksOnly.temperature());
    }

    @Test
    void theTrainingTricksAreValidatedNamingTheFieldAndValue() {
        assertThatThrownBy(() -> HstuConfig.builder().clickTargetWeight(-1f).build())
                .hasMessage("model.clickTargetWeight must be >= 0, got -1.0");
        assertThatThrownBy(() ->
                        HstuConfig.builder().exposureTargetWeight(Float.NaN).build())
                .hasMessage("model.exposureTargetWeight must be >= 0, got NaN");
        assertThatThrownBy(() -> HstuConfig.builder().clickTemperature(-0.1f).build())
                .hasMessage("model.clickTemperature must be > 0, or 0 to use temperature, got -0.1");
        assertThatThrownBy(() -> HstuConfig.builder()
                        .exposureTemperature(Float.POSITIVE_INFINITY)
                        .build())
                .hasMessage("model.exposureTemperature must be > 0, or 0 to use temperature, got Infinity");
        assertThatThrownBy(() -> HstuConfig.builder().rankPackageCounts(1, 2, 3).build())
                .hasMessage(
                        "model.rankPackageCounts must hold 5 counts [coldClick, hotClick, coldExposure, hotExposure, random],"
                                + " or none to turn it off, got [1, 2, 3]");
        assertThatThrownBy(() ->
                        HstuConfig.builder().rankPackageCounts(1, 1, -1, 1, 1).build())
                .hasMessage("model.rankPackageCounts must all be >= 0, got [1, 1, -1, 1, 1]");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"rankPackageCounts\": [1, null, 1, 1, 1]}"))
                .hasMessage("model.rankPackageCounts must all be >= 0, got [1, null, 1, 1, 1]");
        assertThatThrownBy(() -> HstuConfig.builder().rankPackageHotShare(0f).build())
                .hasMessage("model.rankPackageHotShare must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> HstuConfig.builder().hardNegativeCacheSize(-1).build())
                .hasMessage("model.hardNegativeCacheSize must be >= 0 (0 = no cache), got -1");
        assertThatThrownBy(() -> HstuConfig.builder().hardNegativeCacheSize(64).build())
                .hasMessage("model.hardNegatives must be in [1, hardNegativeCacheSize=64] with the cache on, got 0");
        assertThatThrownBy(() -> HstuConfig.builder()
                        .hardNegativeCacheSize(8)
                        .hardNegatives(9)
                        .build())
                .hasMessage("model.hardNegatives must be in [1, hardNegativeCacheSize=8] with the cache on, got 9");
        assertThatThrownBy(() -> HstuConfig.builder().idDropoutStart(1f).build())
                .hasMessage("model.idDropoutStart must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> HstuConfig.builder().idDropoutStart(0.3f).build())
                .hasMessage(
                        "model.idDropoutAnnealSteps must be >= 1 with idDropoutStart > 0 (the steps over which the rate decays to 0),"
                                + " got 0");
        assertThatThrownBy(() -> HstuConfig.builder().idDropoutAnnealSteps(-5).build())
                .hasMessage("model.idDropoutAnnealSteps must be >= 0, got -5");
        assertThatThrownBy(
                        () -> HstuConfig.builder().rankLoss(RankLoss.LISTWISE).build())
                .hasMessage(
                        "model.rankLoss must not be LISTWISE without a rank package (set rankPackageCounts), got LISTWISE");
        assertThatThrownBy(() -> HstuConfig.builder()
                        .rankLoss(RankLoss.PAIRWISE)
                        .rankLossWeight(-1f)
                        .build())
                .hasMessage("model.rankLossWeight must be >= 0, got -1.0");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"rankLoss\": \"TRIPLET\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.rankLoss must be NONE, PAIRWISE or LISTWISE, got TRIPLET");
        // the dependent knobs may stay set while their switch is off, so an ablation toggles one flag
        assertThat(HstuConfig.builder()
                        .hardNegatives(16)
                        .idDropoutAnnealSteps(100)
                        .rankLossWeight(0.5f)
                        .build())
                .isNotNull();
    }
}
