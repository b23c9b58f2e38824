package dev.hstu.model.modules.positional;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BucketsTest {

    @Test
    void positionBucketsAreExactNearbyAndLogarithmicFarAway() {
        assertThat(PositionBuckets.bucket(0, 64, 200)).isZero();
        assertThat(PositionBuckets.bucket(31, 64, 200)).isEqualTo(31);
        assertThat(PositionBuckets.bucket(32, 64, 200)).isEqualTo(32);
        assertThat(PositionBuckets.bucket(199, 64, 200)).isEqualTo(63);
        assertThat(PositionBuckets.bucket(10_000, 64, 200)).isEqualTo(63);
        int previous = 0;
        for (int d = 0; d < 200; d++) {
            int b = PositionBuckets.bucket(d, 64, 200);
            assertThat(b).isBetween(previous, previous + 1);
            previous = b;
        }
        assertThat(PositionBuckets.bucket(150, 256, 200))
                .as("enough buckets: all exact")
                .isEqualTo(150);
    }

    @Test
    void timeBucketsOnTheDeviceMatchTheReferenceFormula() {
        long[] gaps = {0, 1, 2, 3, 7, 8, 59, 60, 3599, 3600, 86_399, 86_400, 31_536_000, 2_000_000_000L, 5_000_000_000L
        };
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            long[] ts = new long[gaps.length + 1];
            for (int i = 0; i < gaps.length; i++) {
                ts[i + 1] = gaps[i];
            }
            long[] device = TimeBuckets.pairwise(manager.create(ts, new Shape(1, ts.length)), 64)
                    .toLongArray();
            for (int i = 0; i < gaps.length; i++) {
                // row 0 against column i+1: gap to the origin
                assertThat(device[i + 1]).as("gap %d", gaps[i]).isEqualTo(TimeBuckets.bucket(gaps[i], 64));
            }
        }
        assertThat(TimeBuckets.bucket(0, 64)).isZero();
        assertThat(TimeBuckets.bucket(1, 64)).isEqualTo(2);
        assertThat(TimeBuckets.bucket(-1, 64)).isEqualTo(2);
        assertThat(TimeBuckets.bucket(86_400, 64)).isEqualTo(32);
        assertThat(TimeBuckets.bucket(Long.MAX_VALUE / 2, 64)).isEqualTo(63);
    }
}
