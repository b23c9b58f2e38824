package dev.hstu.model.serve;

import java.util.Arrays;

/**
 * What incremental encoding keeps of one user's encoded history for one model version: per STU layer, the K and V
 * rows of every event (generative-recommenders' {@code cached_forward} state), and the item rows and timestamps of
 * those events so that a cache is only extended by the history it was built from.
 *
 * @param items item rows of the cached events, oldest first
 * @param timestamps their timestamps
 * @param keys per layer, {@code events x heads x attentionDim} floats, event-major
 * @param values per layer, {@code events x heads x linearDim} floats, event-major
 */
public record KvCache(int[] items, long[] timestamps, float[][] keys, float[][] values) {

    /** Checks that the arrays agree on the number of events. */
    public KvCache {
        if (items.length != timestamps.length || keys.length != values.length) {
            throw new IllegalArgumentException("items, timestamps and layers disagree");
        }
        for (int l = 0; l < keys.length; l++) {
            if (items.length == 0
                    ? keys[l].length != 0 || values[l].length != 0
                    : keys[l].length % items.length != 0 || values[l].length % items.length != 0) {
                throw new IllegalArgumentException("layer " + l + " does not hold a row per event");
            }
        }
    }

    /** @return cached events */
    public int length() {
        return items.length;
    }

    /** @return bytes of the cached floats and ids: the state a user costs */
    public long bytes() {
        long floats = 0;
        for (int l = 0; l < keys.length; l++) {
            floats += keys[l].length + values[l].length;
        }
        return floats * Float.BYTES + (long) items.length * (Integer.BYTES + Long.BYTES);
    }

    /**
     * @param items the item rows of a history's first {@link #length()} events or more
     * @param timestamps their timestamps
     * @return whether this cache holds exactly that history's first {@link #length()} events
     */
    public boolean isPrefixOf(int[] items, long[] timestamps) {
        int n = length();
        return items.length >= n
                && timestamps.length >= n
                && Arrays.equals(this.items, 0, n, items, 0, n)
                && Arrays.equals(this.timestamps, 0, n, timestamps, 0, n);
    }
}
