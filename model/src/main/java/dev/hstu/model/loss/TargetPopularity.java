package dev.hstu.model.loss;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How often each item was a training target among the last {@code window} targets: a ring of
 * recent targets plus a count per item row, so recording a target, drawing an item in proportion
 * to its count and reading its probability are all O(1). Drawing a uniform slot of the ring is
 * exactly popularity sampling over the window.
 */
public final class TargetPopularity {

    private final long[] ring;
    private int[] counts;
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
    }

    /** @param targets items that were training targets, oldest first */
    public void record(long[] targets) {
        for (long item : targets) {
            if (filled == ring.length) {
                counts[(int) ring[next]]--;
            } else {
                filled++;
            }
            ensureRow((int) item);
            ring[next] = item;
            counts[(int) item]++;
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

    private void ensureRow(int item) {
        if (item >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(item + 1, counts.length * 2));
        }
    }
}
