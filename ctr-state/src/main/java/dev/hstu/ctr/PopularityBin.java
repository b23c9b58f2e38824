package dev.hstu.ctr;

/**
 * Maps a key's decayed exposure count to a popularity bin that does not change while the key sees
 * no new events, so bins and quantiles over them can be maintained incrementally.
 *
 * <p>A key's popularity at time T is {@code n * 2^(-(T - anchor)/halfLife)}; its log2 is {@code
 * log2(n) + anchor/halfLife - T/halfLife}. The last term is the same for every key, so ranking keys
 * by {@code score = log2(n) + anchor/halfLife} ranks them by popularity at any common time T.
 * Without decay the score is {@code log2(n)}. The bin is {@code floor(score * 32)}: 32 bins per
 * doubling, i.e. popularity resolved to about 2%.
 */
public final class PopularityBin {
    /** Resolution of the bins: this many bins per doubling of popularity. */
    public static final int BINS_PER_DOUBLING = 32;

    private static final double LN2 = StrictMath.log(2.0);

    private PopularityBin() {}

    /** The bin of a key with these counts. */
    public static long of(DecayedCounts counts, DecayPolicy decay) {
        double score = StrictMath.log(counts.exposures()) / LN2 + decay.log2Offset(counts.anchorMs());
        return (long) Math.floor(score * BINS_PER_DOUBLING);
    }

    /** Bucket of a bin: the number of thresholds the bin lies above (0 = coldest). */
    public static int bucket(long bin, long[] thresholds) {
        int bucket = 0;
        for (long t : thresholds) {
            if (bin > t) {
                bucket++;
            }
        }
        return bucket;
    }
}
