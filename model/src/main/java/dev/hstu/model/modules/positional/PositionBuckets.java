package dev.hstu.model.modules.positional;

/**
 * Buckets of the causal distance {@code i - j} between a query and a key position: exact below
 * half the buckets, logarithmically spaced up to {@code maxSeqLen} above (as in T5), so nearby
 * events get their own bias and distant ones share one.
 */
public final class PositionBuckets {

    private PositionBuckets() {}

    /**
     * @param distance non-negative position distance
     * @param buckets number of buckets
     * @param maxSeqLen longest distance + 1 that must be told apart
     * @return the bucket in {@code [0, buckets)}
     */
    public static int bucket(int distance, int buckets, int maxSeqLen) {
        if (distance < 0) {
            throw new IllegalArgumentException("position distance must be >= 0, got " + distance);
        }
        if (buckets >= maxSeqLen) {
            return Math.min(distance, buckets - 1);
        }
        int exact = buckets / 2;
        if (distance < exact) {
            return distance;
        }
        double scaled = Math.log((double) distance / exact) / Math.log((double) maxSeqLen / exact);
        return Math.min(buckets - 1, exact + (int) (scaled * (buckets - exact)));
    }

    /**
     * @param length sequence length L
     * @param buckets number of buckets
     * @param maxSeqLen longest sequence
     * @return row-major {@code L x L} bucket of {@code max(i - j, 0)}; entries above the diagonal
     *     are masked by the caller anyway
     */
    public static long[] matrix(int length, int buckets, int maxSeqLen) {
        long[] out = new long[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = 0; j <= i; j++) {
                out[i * length + j] = bucket(i - j, buckets, maxSeqLen);
            }
        }
        return out;
    }
}
