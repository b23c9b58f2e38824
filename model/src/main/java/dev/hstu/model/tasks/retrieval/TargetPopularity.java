package dev.hstu.model.tasks.retrieval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How often each item was a training target among the last {@code window} targets: a ring of
 * recent targets plus a count per item row, so recording a target, drawing an item in proportion
 * to its count and reading its probability are all O(1). Drawing a uniform slot of the ring is
 * exactly popularity sampling over the window.
 *
 * <p>It also keeps how many items have each count, so the count above which items are "hot" (the
 * head that makes up a given share of the window) is one walk over the counts, not a sort of the
 * items.
 */
public final class TargetPopularity {

    private final long[] ring;
    private int[] counts;
    /** {@code itemsWithCount[c]}: items remembered exactly {@code c} times ({@code c >= 1}). */
    private final int[] itemsWithCount;

    private int next;
    private int filled;

    /**
     * @param window targets remembered
     * @param itemRows initial size of the per-item count table (grows on demand)
     */
    public TargetPopularity(int window, int itemRows) {
        if (window < 1) {
            throw new IllegalArgumentException("popularityWindow must be >= 1, got " + window);
        }
        this.ring = new long[window];
        this.counts = new int[Math.max(1, itemRows)];
        this.itemsWithCount = new int[window + 1];
    }

    /** @param targets items that were training targets, oldest first */
    public void record(long[] targets) {
        for (long item : targets) {
            if (filled == ring.length) {
                recount((int) ring[next], -1);
            } else {
                filled++;
            }
            ensureRow((int) item);
            ring[next] = item;
            recount((int) item, +1);
            next = (next + 1) % ring.length;
        }
    }

    /**
     * @param random generator
     * @return an item drawn with probability {@link #probability(long)}
     * @throws IllegalStateException if nothing was recorded yet
     */
    public long draw(SplittableRandom random) {
        if (filled == 0) {
            throw new IllegalStateException("no target recorded yet: call record(...) before draw(...)");
        }
        return ring[random.nextInt(filled)];
    }

    /**
     * @param item item row
     * @return its share of the remembered targets (0 if never seen)
     */
    public double probability(long item) {
        return filled == 0 || item >= counts.length ? 0.0 : (double) counts[(int) item] / filled;
    }

    /**
     * @param item item row
     * @return times it was a target among the remembered targets
     */
    public int count(long item) {
        return item >= counts.length ? 0 : counts[(int) item];
    }

    /**
     * The smallest count that makes an item hot: the items remembered at least this often are the
     * most frequent ones that together make up {@code share} of the remembered targets.
     *
     * @param share head share in {@code (0, 1]}
     * @return the threshold count ({@code >= 1}); {@link Integer#MAX_VALUE} (nothing is hot) while
     *     nothing is remembered
     */
    public int hotThreshold(double share) {
        double needed = share * filled;
        long covered = 0;
        for (int c = filled; c >= 1; c--) {
            covered += (long) c * itemsWithCount[c];
            if (covered >= needed) {
                return c;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** @return targets currently remembered */
    public int size() {
        return filled;
    }

    /** @return the remembered targets, oldest first (for checkpoints) */
    public long[] snapshot() {
        long[] out = new long[filled];
        int start = filled == ring.length ? next : 0;
        for (int i = 0; i < filled; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return out;
    }

    private void recount(int item, int delta) {
        int before = counts[item];
        if (before > 0) {
            itemsWithCount[before]--;
        }
        counts[item] = before + delta;
        if (before + delta > 0) {
            itemsWithCount[before + delta]++;
        }
    }

    private void ensureRow(int item) {
        if (item >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(item + 1, counts.length * 2));
        }
    }
}
