package dev.hstu.formats.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MovieLensActionBitsTest {

    @Test
    void ratedIsExposureFourStarsAClickFiveAClickAndALike() {
        MovieLensActionBits bits = MovieLensActionBits.defaults();
        assertThat(bits.action(0.5)).isZero();
        assertThat(bits.action(3.5)).isZero();
        assertThat(bits.action(4.0)).isEqualTo(1);
        assertThat(bits.action(4.5)).isEqualTo(1);
        assertThat(bits.action(5.0)).isEqualTo(3);
    }

    @Test
    void theThresholdsAreSettable() {
        MovieLensActionBits bits = new MovieLensActionBits(3.0, 4.5);
        assertThat(bits.action(3.0)).isEqualTo(1);
        assertThat(bits.action(4.5)).isEqualTo(3);
        assertThatThrownBy(() -> new MovieLensActionBits(Double.NaN, 5)).hasMessageContaining("must be finite");
    }
}
