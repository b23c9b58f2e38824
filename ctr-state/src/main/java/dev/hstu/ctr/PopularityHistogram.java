package dev.hstu.ctr;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Number of keys per popularity bin ({@link PopularityBin}); counts are integers, so the
 * streaming and the batch histogram are identical, not just close.
 */
public final class PopularityHistogram {
    private final NavigableMap<Long, Long> keysByBin = new TreeMap<>();
    private long total;

    /** Changes the number of keys in {@code bin} by {@code delta}. */
    public void add(long bin, long delta) {
        long updated = keysByBin.getOrDefault(bin, 0L) + delta;
        if (updated < 0) {
            throw new IllegalStateException("bin " + bin + " would hold " + updated + " keys");
        }
        if (updated == 0) {
            keysByBin.remove(bin);
        } else {
            keysByBin.put(bin, updated);
        }
        total += delta;
    }

    /** Number of keys in all bins. */
    public long total() {
        return total;
    }

    /** Keys per bin, ascending by bin. */
    public Map<Long, Long> bins() {
        return java.util.Collections.unmodifiableNavigableMap(keysByBin);
    }

    /**
     * Bin thresholds of the quantiles: for quantile q, the smallest bin B such that at least {@code
     * q * total} keys lie in bins <= B. A key is above the threshold when its bin is greater than B,
     * so keys sharing a bin always share a bucket. With no keys every threshold is {@code
     * Long.MAX_VALUE} (every key cold).
     */
    public long[] thresholds(BucketQuantiles quantiles) {
        long[] out = new long[quantiles.size()];
        java.util.Arrays.fill(out, Long.MAX_VALUE);
        if (total == 0) {
            return out;
        }
        int next = 0;
        long cumulative = 0;
        for (Map.Entry<Long, Long> e : keysByBin.entrySet()) {
            cumulative += e.getValue();
            while (next < out.length && cumulative >= quantiles.get(next) * total) {
                out[next++] = e.getKey();
            }
            if (next == out.length) {
                break;
            }
        }
        return out;
    }
}
