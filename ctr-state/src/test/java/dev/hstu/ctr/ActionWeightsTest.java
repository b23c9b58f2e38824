package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionWeightsTest {

    @Test
    void clickOnlyKnowsBitZeroAndNothingElse() {
        ActionWeights w = ActionWeights.clickOnly();
        assertThat(w.engagement(0)).isEqualTo(0.0);
        assertThat(w.engagement(1)).isEqualTo(1.0);
        assertThat(w.isKnown(2)).isFalse();
        assertThat(w.isKnown(-1)).isFalse();
        assertThatThrownBy(() -> w.engagement(3))
                .isInstanceOf(InvalidCtrInputException.class)
                .hasMessageContaining("action=3 has bits 0x2 outside the configured action bits 0x1");
    }

    @Test
    void weightsOfSetBitsAddUpAndAreCappedAtOne() {
        ActionWeights w = ActionWeights.parse("0=1, 1=0.25, 3=0.5");
        assertThat(w.engagement(0b0010)).isEqualTo(0.25);
        assertThat(w.engagement(0b1010)).isEqualTo(0.75);
        assertThat(w.engagement(0b1011)).isEqualTo(1.0);
        assertThat(w.asMap()).containsExactly(Map.entry(0, 1.0), Map.entry(1, 0.25), Map.entry(3, 0.5));
    }

    @Test
    void badWeightsAreRejected() {
        assertThatThrownBy(() -> ActionWeights.parse("0=NaN")).hasMessageContaining("weight of bit 0 is NaN");
        assertThatThrownBy(() -> ActionWeights.parse("0=-1")).hasMessageContaining("weight of bit 0 is -1.0");
        assertThatThrownBy(() -> ActionWeights.parse("31=1")).hasMessageContaining("bit 31 is outside [0, 30]");
        assertThatThrownBy(() -> ActionWeights.parse("0:1")).hasMessageContaining("'0:1' is not bit=weight");
    }
}
