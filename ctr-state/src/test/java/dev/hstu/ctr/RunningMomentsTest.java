package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {

    private static double[] values(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble();
        }
        return v;
    }

    @Test
    void welfordMatchesTwoPassMeanAndVariance() {
        double[] v = values(1000, 1);
        RunningMoments m = RunningMoments.empty();
        double sum = 0;
        for (double x : v) {
            m = m.plus(x);
            sum += x;
        }
        double mean = sum / v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        assertThat(m.count()).isEqualTo(1000);
        assertThat(m.mean()).isCloseTo(mean, within(1e-14));
        assertThat(m.variance()).isCloseTo(ss / v.length, within(1e-14));
    }

    @Test
    void mergingPartialsFromSubtasksEqualsOneSequentialPass() {
        double[] v = values(999, 2);
        RunningMoments all = RunningMoments.empty();
        RunningMoments[] parts = {RunningMoments.empty(), RunningMoments.empty(), RunningMoments.empty()};
        for (int i = 0; i < v.length; i++) {
            all = all.plus(v[i]);
            parts[i % 3] = parts[i % 3].plus(v[i]);
        }
        RunningMoments merged = parts[2].merge(parts[0]).merge(parts[1]);
        assertThat(merged.count()).isEqualTo(all.count());
        assertThat(merged.mean()).isCloseTo(all.mean(), within(1e-14));
        assertThat(merged.m2()).isCloseTo(all.m2(), within(1e-11));
    }

    @Test
    void removingValuesUndoesAddingThem() {
        double[] v = values(200, 3);
        RunningMoments first = RunningMoments.empty();
        RunningMoments second = RunningMoments.empty();
        for (int i = 0; i < 100; i++) {
            first = first.plus(v[i]);
            second = second.plus(v[100 + i]);
        }
        RunningMoments both = first.merge(second);
        RunningMoments back = both.unmerge(second);
        assertThat(back.count()).isEqualTo(100);
        assertThat(back.mean()).isCloseTo(first.mean(), within(1e-13));
        assertThat(back.m2()).isCloseTo(first.m2(), within(1e-11));
        assertThat(both.minus(v[0]).plus(v[0]).m2()).isCloseTo(both.m2(), within(1e-11));
        assertThat(first.plus(0.3).minus(0.3).mean()).isCloseTo(first.mean(), within(1e-14));
        assertThat(RunningMoments.empty().plus(0.25).minus(0.25)).isEqualTo(RunningMoments.empty());
    }

    @Test
    void nanInfinityAndOverRemovalAreRejected() {
        assertThatThrownBy(() -> RunningMoments.empty().plus(Double.NaN))
                .isInstanceOf(InvalidCtrInputException.class)
                .hasMessageContaining("value=NaN");
        assertThatThrownBy(() -> RunningMoments.empty().plus(Double.POSITIVE_INFINITY))
                .hasMessageContaining("value=Infinity");
        assertThatThrownBy(() -> RunningMoments.empty().minus(0.5)).hasMessageContaining("empty");
        assertThatThrownBy(() -> RunningMoments.empty()
                        .plus(1)
                        .unmerge(RunningMoments.empty().plus(1).plus(2)))
                .hasMessageContaining("cannot remove 2");
        assertThatThrownBy(() -> new RunningMoments(-1, 0, 0)).hasMessageContaining("count=-1");
    }
}
