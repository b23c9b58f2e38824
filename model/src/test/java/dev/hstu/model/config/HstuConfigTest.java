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
}
