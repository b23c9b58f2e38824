package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PriorSpecTest {

    /** Beta(a, b) for integer a, b: the a-th smallest of a + b - 1 uniforms. */
    private static double betaSample(Random r, int a, int b) {
        double[] u = new double[a + b - 1];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble();
        }
        java.util.Arrays.sort(u);
        return u[a - 1];
    }

    @Test
    void autoFitRecoversTheBetaThatGeneratedTheRates() {
        Random r = new Random(11);
        RunningMoments rates = RunningMoments.empty();
        for (int i = 0; i < 100_000; i++) {
            rates = rates.plus(betaSample(r, 3, 27));
        }
        BetaPrior prior = PriorSpec.DEFAULT.fit(rates);
        assertThat(prior.mean()).isCloseTo(0.1, within(0.002));
        assertThat(prior.strength()).isCloseTo(30.0, within(1.0));
    }

    @Test
    void fittedStrengthIsClipped() {
        RunningMoments noisy = RunningMoments.empty().plus(0).plus(1).plus(0).plus(1);
        // variance 0.25 = m(1-m): k = 0 by the method of moments, clipped up to 10
        assertThat(PriorSpec.auto(10, 10_000).fit(noisy)).isEqualTo(new BetaPrior(5, 5));
        RunningMoments flat = RunningMoments.empty().plus(0.2).plus(0.2);
        assertThat(PriorSpec.auto(10, 10_000).fit(flat).strength()).isCloseTo(10_000, within(1e-9));
        assertThat(PriorSpec.auto(10, 10_000).fit(flat).mean()).isCloseTo(0.2, within(1e-12));
        assertThat(PriorSpec.auto(10, 10_000).fit(RunningMoments.empty())).isEqualTo(new BetaPrior(5, 5));
    }

    @Test
    void fixedPriorIgnoresThePopulation() {
        PriorSpec fixed = PriorSpec.parse("2,8", "10,10000");
        assertThat(fixed.isAuto()).isFalse();
        assertThat(fixed.fit(RunningMoments.empty().plus(0.9))).isEqualTo(new BetaPrior(2, 8));
        assertThat(new BetaPrior(2, 8).smooth(3, 10)).isCloseTo(5.0 / 20.0, within(1e-15));
    }

    @Test
    void malformedOptionsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> PriorSpec.parse("auto", "10")).hasMessageContaining("k_clip '10'");
        assertThatThrownBy(() -> PriorSpec.parse("auto", "100,10")).hasMessageContaining("k_clip 100.0,10.0");
        assertThatThrownBy(() -> PriorSpec.parse("NaN,1", "10,10000")).hasMessageContaining("a=NaN");
        assertThatThrownBy(() -> PriorSpec.parse("-1,1", "10,10000")).hasMessageContaining("a=-1.0");
        assertThatThrownBy(() -> PriorSpec.parse("x,1", "10,10000")).hasMessageContaining("prior 'x,1'");
    }

    @Test
    void randomPopulationsGiveValidPriors() {
        Random r = new Random(5);
        for (int trial = 0; trial < 100; trial++) {
            RunningMoments m = RunningMoments.empty();
            for (int i = 0, n = 1 + r.nextInt(20); i < n; i++) {
                m = m.plus(r.nextInt(3) == 0 ? r.nextInt(2) : r.nextDouble());
            }
            BetaPrior p = PriorSpec.DEFAULT.fit(m);
            assertThat(p.strength()).isBetween(10.0 - 1e-9, 10_000.0 + 1e-9);
        }
    }
}
