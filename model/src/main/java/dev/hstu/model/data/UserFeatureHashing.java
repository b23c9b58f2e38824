package dev.hstu.model.data;

/**
 * Maps sparse user-feature keys to rows of the hashed user-feature table, so an unbounded space of
 * (feature id, value) pairs needs no vocabulary: colliding keys share a row.
 *
 * <p>Row 0 belongs to the empty slot ({@link PackedBatch#NO_USER_FEATURE}) alone; every key lands
 * in {@code [1, buckets)}.
 */
public final class UserFeatureHashing {

    private UserFeatureHashing() {}

    /**
     * Combines a feature id and its value into one key, never {@link PackedBatch#NO_USER_FEATURE},
     * so that the same value of two features (e.g. age 3 and city 3) are different keys.
     *
     * @param featureId the feature (e.g. the seed's user feature id 103)
     * @param value its value for the user
     * @return the key to pack into a batch
     */
    public static long key(int featureId, long value) {
        long key = mix(mix(featureId) + value);
        return key == PackedBatch.NO_USER_FEATURE ? 1L : key;
    }

    /**
     * @param key a packed key
     * @param buckets rows of the table ({@code >= 2})
     * @return 0 for the empty slot, otherwise a row in {@code [1, buckets)}
     */
    public static int row(long key, int buckets) {
        if (key == PackedBatch.NO_USER_FEATURE) {
            return 0;
        }
        // mixed again: a caller's raw keys (small consecutive ids) would otherwise fill the table in runs
        return 1 + (int) Long.remainderUnsigned(mix(key), buckets - 1);
    }

    /** SplitMix64's finaliser: every input bit flips about half of the output bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
