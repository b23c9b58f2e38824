package dev.hstu.jobs.sequence;

import java.util.Arrays;

/**
 * A user's most recent interactions in time order, as kept in RocksDB keyed state, plus how many of them the
 * downstream consumer (the trainer or the scorer) has not yet seen.
 *
 * <p>A mutable POJO with public fields and primitive arrays so that Flink serialises it with its POJO and
 * primitive-array serializers (compact, no Kryo). Arrays are sized to the current length, not to the cap, so a
 * light user costs little state.
 */
public class UserSequence {

    public long[] items = new long[0];
    public int[] actions = new int[0];
    public long[] timestampsMs = new long[0];
    /** Dense features per interaction, {@code featureDim} floats each, interaction-major; empty when none. */
    public float[] features = new float[0];
    /** Dense features per interaction; 0 when the job attaches none. */
    public int featureDim;
    /**
     * The user's latest hashed user-feature keys ({@code user_feat} of their most recent event that carried one),
     * sorted; empty when none. Null in state written before user features existed.
     */
    public long[] userFeatureKeys = new long[0];
    /** Interactions appended since the consumer last took this sequence. */
    public int pending;
    /** Processing time at which the oldest of the pending interactions arrived (0 when none is pending). */
    public long pendingSinceMs;

    public UserSequence() {}

    public int length() {
        return items.length;
    }

    /** @return {@link #userFeatureKeys}, empty rather than null */
    public long[] userFeatures() {
        return userFeatureKeys == null ? new long[0] : userFeatureKeys;
    }

    /** Replaces the user's features with {@code keys}; null (an event without {@code user_feat}) keeps them. */
    public void updateUserFeatures(long[] keys) {
        if (keys != null) {
            userFeatureKeys = keys;
        }
    }

    public long lastTimestampMs() {
        return timestampsMs.length == 0 ? Long.MIN_VALUE : timestampsMs[timestampsMs.length - 1];
    }

    /** {@link #add(long, int, long, float[], int)} without features. */
    public void add(long item, int action, long timestampMs, int maxLength) {
        add(item, action, timestampMs, null, maxLength);
    }

    /**
     * Adds an interaction in event-time order (a late one is inserted where it belongs, after equal timestamps),
     * keeping at most {@code maxLength} of the newest, and counts it as pending.
     *
     * <p>{@code eventFeatures} (null: none) sets the feature width. Interactions kept from before features were
     * switched on, or from another width, get zeros rather than failing: state written by an earlier
     * configuration must restore, and a zero row is what the model sees for "no evidence".
     */
    public void add(long item, int action, long timestampMs, float[] eventFeatures, int maxLength) {
        int dim = eventFeatures == null ? featureDim : eventFeatures.length;
        int n = items.length;
        float[] oldFeatures = dim == featureDim ? features : new float[n * dim];
        int at = n;
        while (at > 0 && timestampsMs[at - 1] > timestampMs) {
            at--;
        }
        int keep = Math.min(n + 1, maxLength);
        int drop = n + 1 - keep;
        long[] newItems = new long[keep];
        int[] newActions = new int[keep];
        long[] newTs = new long[keep];
        float[] newFeatures = new float[keep * dim];
        // Copy the merged sequence [0, at) + new + [at, n), skipping the `drop` oldest entries.
        int w = 0;
        for (int r = 0; r <= n; r++) {
            if (r < drop) {
                continue;
            }
            if (r < at) {
                copy(r, w, oldFeatures, newFeatures, newItems, newActions, newTs, dim);
            } else if (r == at) {
                newItems[w] = item;
                newActions[w] = action;
                newTs[w] = timestampMs;
                if (eventFeatures != null) {
                    System.arraycopy(eventFeatures, 0, newFeatures, w * dim, dim);
                }
            } else {
                copy(r - 1, w, oldFeatures, newFeatures, newItems, newActions, newTs, dim);
            }
            w++;
        }
        items = newItems;
        actions = newActions;
        timestampsMs = newTs;
        features = newFeatures;
        featureDim = dim;
        pending = Math.min(pending + 1, keep);
    }

    private void copy(
            int from,
            int to,
            float[] oldFeatures,
            float[] newFeatures,
            long[] newItems,
            int[] newActions,
            long[] newTs,
            int dim) {
        newItems[to] = items[from];
        newActions[to] = actions[from];
        newTs[to] = timestampsMs[from];
        if (dim > 0) {
            System.arraycopy(oldFeatures, from * dim, newFeatures, to * dim, dim);
        }
    }

    @Override
    public String toString() {
        return "UserSequence{items=" + Arrays.toString(items) + ", featureDim=" + featureDim + ", pending=" + pending
                + "}";
    }
}
