package dev.hstu.model.modules.positional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Buckets of the time gap between a query and a key event: {@code floor(2*log2(1+|gap|))} in
 * seconds, clipped to the last bucket. Half-octave resolution separates "seconds", "minutes",
 * "same day" and "weeks apart" while 64 buckets reach past a century.
 */
public final class TimeBuckets {

    private static final double HALF_OCTAVES_PER_LN = 2.0 / Math.log(2.0);
    /** Lifts exact bucket edges (gap = 2^k - 1) above float32 rounding so JVM and device agree. */
    private static final double EDGE_TOLERANCE = 1e-3;

    private TimeBuckets() {}

    /**
     * @param gapSeconds time between two events (sign ignored)
     * @param buckets number of buckets
     * @return the bucket in {@code [0, buckets)}
     */
    public static int bucket(long gapSeconds, int buckets) {
        double b = Math.floor(Math.log1p(Math.abs((double) gapSeconds)) * HALF_OCTAVES_PER_LN + EDGE_TOLERANCE);
        return (int) Math.min(buckets - 1, b);
    }

    /**
     * Computes all pairwise buckets on the device.
     *
     * @param timestamps {@code [B, L]} int64 seconds (any per-sequence origin)
     * @param buckets number of buckets
     * @return {@code [B, L, L]} int64 bucket of {@code |t_i - t_j|}
     */
    public static NDArray pairwise(NDArray timestamps, int buckets) {
        // int64 difference first: epoch seconds do not fit a float32 mantissa exactly.
        return of(timestamps.expandDims(2).sub(timestamps.expandDims(1)), buckets);
    }

    /**
     * Buckets gaps already computed on the device.
     *
     * @param gapSeconds int64 gaps of any shape (sign ignored)
     * @param buckets number of buckets
     * @return int64 buckets, same shape
     */
    public static NDArray of(NDArray gapSeconds, int buckets) {
        NDArray gap = gapSeconds.abs();
        return gap.toType(DataType.FLOAT32, false)
                .add(1f)
                .log()
                .mul((float) HALF_OCTAVES_PER_LN)
                .add((float) EDGE_TOLERANCE)
                .floor()
                .clip(0, buckets - 1)
                .toType(DataType.INT64, false);
    }
}
