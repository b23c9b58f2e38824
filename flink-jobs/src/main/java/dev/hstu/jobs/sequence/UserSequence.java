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
    /** Interactions appended since the consumer last took this sequence. */
    public int pending;
    /** Processing time at which the oldest of the pending interactions arrived (0 when none is pending). */
    public long pendingSinceMs;

    public UserSequence() {}

    public int length() {
        return items.length;
    }

    public long lastTimestampMs() {
        return timestampsMs.length == 0 ? Long.MIN_VALUE : timestampsMs[timestampsMs.length - 1];
    }

    /**
     * Adds an interaction in event-time order (a late one is inserted where it belongs, after equal timestamps),
     * keeping at most {@code maxLength} of the newest, and counts it as pending.
     */
    public void add(long item, int action, long timestampMs, int maxLength) {
        int n = items.length;
        int at = n;
        while (at > 0 && timestampsMs[at - 1] > timestampMs) {
            at--;
        }
        int keep = Math.min(n + 1, maxLength);
        int drop = n + 1 - keep;
        long[] newItems = new long[keep];
        int[] newActions = new int[keep];
        long[] newTs = new long[keep];
        // Copy the merged sequence [0, at) + new + [at, n), skipping the `drop` oldest entries.
        int w = 0;
        for (int r = 0; r <= n; r++) {
            long it;
            int ac;
            long ts;
            if (r < at) {
                it = items[r];
                ac = actions[r];
                ts = timestampsMs[r];
            } else if (r == at) {
                it = item;
                ac = action;
                ts = timestampMs;
            } else {
                it = items[r - 1];
                ac = actions[r - 1];
                ts = timestampsMs[r - 1];
            }
            if (r >= drop) {
                newItems[w] = it;
                newActions[w] = ac;
                newTs[w] = ts;
                w++;
            }
        }
        items = newItems;
        actions = newActions;
        timestampsMs = newTs;
        pending = Math.min(pending + 1, keep);
    }

    @Override
    public String toString() {
        return "UserSequence{items=" + Arrays.toString(items) + ", pending=" + pending + "}";
    }
}
