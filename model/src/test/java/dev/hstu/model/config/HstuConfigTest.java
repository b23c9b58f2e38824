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
        HstuConfig custom = HstuConfig.builder().embeddingDim(32).normType(NormType.RMS).device("gpu:1").totalSteps(5000).build();
        assertThat(HstuConfig.fromJson(custom.toJson())).isEqualTo(custom);

        HstuConfig partial = HstuConfig.fromJson("{\"embeddingDim\": 128, \"numHeads\": 4, \"attentionNorm\": \"MAX_LEN\"}");
        assertThat(partial.embeddingDim()).isEqualTo(128);
        assertThat(partial.numHeads()).isEqualTo(4);
        assertThat(partial.attentionNorm()).isEqualTo(AttentionNorm.MAX_LEN);
        assertThat(partial.maxSeqLen()).isEqualTo(HstuConfig.defaults().maxSeqLen());
    }

    @Test
    void badJsonIsRejectedNamingTheField() {
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"embedingDim\": 32}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("embedingDim");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"normType\": \"BATCH\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BATCH");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"dropout\": 1.5}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("model.dropout must be in [0, 1), got 1.5");
    }

    @Test
    void validateNamesTheFieldAndValue() {
        assertThatThrownBy(() -> HstuConfig.builder().embeddingDim(50).numHeads(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model.embeddingDim must be > 0 and divisible by numHeads, got 50 with 4 heads");
        assertThatThrownBy(() -> HstuConfig.builder().itemCapacity(2).build())
                .hasMessageStartingWith("model.itemCapacity must be >= 3");
        assertThatThrownBy(() -> HstuConfig.builder().device("cuda").build())
                .hasMessageStartingWith("model.device must be");
        assertThatThrownBy(() -> HstuConfig.builder().warmupSteps(100).totalSteps(50).build())
                .hasMessageStartingWith("model.totalSteps must be 0 or greater than warmupSteps=100");
        assertThatThrownBy(() -> HstuConfig.builder().temperature(0f).build())
                .hasMessage("model.temperature must be > 0, got 0.0");
    }

    @Test
    void trainingOptionsOfTheIssueParseFromJsonAndAreValidated() {
        HstuConfig c = HstuConfig.fromJson("{\"negativeSampling\":\"POPULARITY\",\"logQCorrection\":true,"
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
        assertThat(HstuConfig.fromJson("{\"embeddingDim\": 32}").denseFeatureDim()).isZero();
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
        HstuConfig on = HstuConfig.fromJson("{\"numActions\": 8, \"actionEncoder\": \"bits\", \"actionBitWeights\": [1, 0.5, 2],"
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
        HstuConfig built = HstuConfig.builder().numActions(8).actionEncoder(ActionEncoding.BITS).actionBitWeights(1f, 0.5f, 2f)
                .featureGating(true).gatingReduction(3).multimodalDims(java.util.Map.of(81, 32, 83, 16))
                .userFeatureSlots(4).userFeatureBuckets(1000).build();
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
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.actionEncoder must be VALUE or BITS, got ONEHOT");
        assertThatThrownBy(() -> HstuConfig.builder().actionBitWeights(1f, 1f, 1f, 1f).build())
                .hasMessageStartingWith("model.actionBitWeights only applies with actionEncoder=BITS");
        assertThatThrownBy(() -> HstuConfig.builder().actionEncoder(ActionEncoding.BITS).actionBitWeights(1f, 2f).build())
                .hasMessage("model.actionBitWeights must hold one weight per action bit (numActions=16 has 4 bits), got [1.0, 2.0]");
        assertThatThrownBy(() -> HstuConfig.builder().actionEncoder(ActionEncoding.BITS).actionBitWeights(1f, 1f, Float.NaN, 1f).build())
                .hasMessageStartingWith("model.actionBitWeights must all be finite numbers");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"actionEncoder\": \"BITS\", \"actionBitWeights\": [1, null, 1, 1]}"))
                .hasMessageStartingWith("model.actionBitWeights must all be finite numbers");
        assertThatThrownBy(() -> HstuConfig.builder().gatingReduction(0).build())
                .hasMessage("model.gatingReduction must be >= 1, got 0");
        assertThatThrownBy(() -> HstuConfig.builder().multimodalDims(java.util.Map.of(81, 0)).build())
                .hasMessage("model.multimodalDims widths must be >= 1, got {81=0}");
        assertThatThrownBy(() -> HstuConfig.builder().multimodalDims(java.util.Map.of(-1, 8)).build())
                .hasMessage("model.multimodalDims feature ids must be >= 1, got {-1=8}");
        // the seed's six features fit at the default capacity: each has a table (and an upload) of its own
        assertThat(HstuConfig.builder().multimodalDims(java.util.Map.of(81, 32, 82, 1024, 83, 3584, 84, 4096, 85, 3584, 86, 3584))
                .build().multimodalDims()).hasSize(6);
        assertThatThrownBy(() -> HstuConfig.builder().itemCapacity(200_000).multimodalDims(java.util.Map.of(81, 32, 83, 3584)).build())
                .hasMessageStartingWith("model.multimodalDims feature 83 needs itemCapacity x width = 200000 x 3584 floats,"
                        + " more than one table upload holds (2 GiB)");
        assertThatThrownBy(() -> HstuConfig.fromJson("{\"multimodalDims\": {\"image\": 8}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image");
        assertThatThrownBy(() -> HstuConfig.builder().userFeatureSlots(-1).build())
                .hasMessage("model.userFeatureSlots must be >= 0 (0 = no user features), got -1");
        assertThatThrownBy(() -> HstuConfig.builder().userFeatureSlots(4).build())
                .hasMessage("model.userFeatureBuckets must be >= 2 with userFeatureSlots > 0 (row 0 is the empty slot), got 0");
        assertThatThrownBy(() -> HstuConfig.builder().userFeatureBuckets(100).build())
                .hasMessage("model.userFeatureBuckets must be 0 without user features (set userFeatureSlots too), got 100");
    }
}
