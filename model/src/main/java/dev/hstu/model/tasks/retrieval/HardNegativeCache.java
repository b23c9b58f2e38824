package dev.hstu.model.tasks.retrieval;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A bounded first-in-first-out set of the hardest shared negatives of past steps: each step offers
 * the candidates the model scored highest for some target that was not theirs, and takes a few
 * cached items back into its own candidates, so a negative the model confuses keeps being shown
 * after the step that found it.
 *
 * <p>Items are distinct; when full, the item cached longest ago is dropped (its score is stale by
 * then). The trainer saves the items with its checkpoint, oldest first.
 */
public final class HardNegativeCache {

    /** Scores below this are masked accidental hits (see the loss), never hard negatives. */
    private static final float MASKED_BELOW = -1e3f;

    private final long[] ring;
    private final Set<Long> members = new HashSet<>();
    private int next;
    private int filled;

    /** @param capacity items kept ({@code >= 1}) */
    public HardNegativeCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "model.task.hardNegatives.cacheSize must be >= 1 for a cache, got " + capacity);
        }
        this.ring = new long[capacity];
    }

    /**
     * Caches an item unless it is cached already.
     *
     * @param item item row
     */
    public void offer(long item) {
        if (members.contains(item)) {
            return;
        }
        if (filled == ring.length) {
            members.remove(ring[next]);
        } else {
            filled++;
        }
        ring[next] = item;
        members.add(item);
        next = (next + 1) % ring.length;
    }

    /**
     * Caches the {@code n} distinct items of highest score, the hardest last (so it stays longest).
     *
     * @param candidateIds the step's shared candidates
     * @param hardness per candidate, its highest score over the targets it is a negative for
     * @param n items to cache at most
     */
    public void offerHardest(long[] candidateIds, float[] hardness, int n) {
        long[] chosen = new long[Math.min(n, candidateIds.length)];
        int count = 0;
        boolean[] taken = new boolean[candidateIds.length];
        // n is small next to the candidates: repeated selection beats sorting them all
        while (count < chosen.length) {
            int best = -1;
            for (int i = 0; i < candidateIds.length; i++) {
                if (!taken[i] && hardness[i] >= MASKED_BELOW && (best < 0 || hardness[i] > hardness[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            taken[best] = true;
            if (!contains(chosen, count, candidateIds[best])) {
                chosen[count++] = candidateIds[best];
            }
        }
        for (int i = count - 1; i >= 0; i--) {
            offer(chosen[i]);
        }
    }

    /**
     * @param n items wanted
     * @param random the step's generator
     * @return {@code min(n, size())} distinct cached items, uniformly chosen
     */
    public long[] sample(int n, SplittableRandom random) {
        if (n >= filled) {
            return snapshot();
        }
        // Floyd's algorithm: n distinct ages without touching the other filled - n; by age, not by
        // ring slot, so a cache restored from a checkpoint (oldest in slot 0) draws the same items
        Set<Integer> ages = new HashSet<>();
        long[] out = new long[n];
        int count = 0;
        for (int j = filled - n; j < filled; j++) {
            int age = random.nextInt(j + 1);
            if (!ages.add(age)) {
                age = j;
                ages.add(age);
            }
            out[count++] = ring[(oldest() + age) % ring.length];
        }
        return out;
    }

    /** @return items cached */
    public int size() {
        return filled;
    }

    /** @return the cached items, oldest first (for checkpoints) */
    public long[] snapshot() {
        long[] out = new long[filled];
        for (int i = 0; i < filled; i++) {
            out[i] = ring[(oldest() + i) % ring.length];
        }
        return out;
    }

    private int oldest() {
        return filled == ring.length ? next : 0;
    }

    private static boolean contains(long[] items, int count, long item) {
        for (int i = 0; i < count; i++) {
            if (items[i] == item) {
                return true;
            }
        }
        return false;
    }
}
