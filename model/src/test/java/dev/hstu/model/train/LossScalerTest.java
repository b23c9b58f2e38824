package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossScalerTest {

    @Test
    void halvesOnOverflowAndDoublesAfterTheGrowthInterval() {
        LossScaler scaler = LossScaler.dynamic(LossScaler.INITIAL_SCALE, 0);
        scaler.overflowed();
        scaler.overflowed();
        assertThat(scaler.scale()).isEqualTo(LossScaler.INITIAL_SCALE / 4);
        for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) {
            scaler.applied();
        }
        assertThat(scaler.scale()).isEqualTo(LossScaler.INITIAL_SCALE / 4);
        scaler.applied();
        assertThat(scaler.scale()).isEqualTo(LossScaler.INITIAL_SCALE / 2);
        assertThat(scaler.goodSteps()).isZero();
        for (int i = 0; i < 3 * LossScaler.GROWTH_INTERVAL; i++) {
            scaler.applied();
        }
        assertThat(scaler.scale()).as("never above what float16 holds").isEqualTo(LossScaler.INITIAL_SCALE);
    }

    @Test
    void anOverflowRestartsTheCountAndTheScaleNeverDropsBelowOne() {
        LossScaler scaler = LossScaler.dynamic(2f, 0);
        scaler.applied();
        scaler.overflowed();
        assertThat(scaler.goodSteps()).isZero();
        scaler.overflowed();
        scaler.overflowed();
        assertThat(scaler.scale()).isEqualTo(1f);
    }

    @Test
    void disabledChangesNothing() {
        LossScaler scaler = LossScaler.disabled();
        scaler.overflowed();
        for (int i = 0; i < LossScaler.GROWTH_INTERVAL; i++) {
            scaler.applied();
        }
        assertThat(scaler.scale()).isEqualTo(1f);
        assertThat(scaler.enabled()).isFalse();
        assertThatThrownBy(() -> LossScaler.dynamic(Float.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
