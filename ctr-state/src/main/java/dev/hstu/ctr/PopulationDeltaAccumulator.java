package dev.hstu.ctr;

import java.util.HashMap;
import java.util.Map;

/**
 * Collects the population changes of one subtask between two flushes, so the parallelism-1
 * aggregator receives one delta per subtask and flush instead of one per event.
 */
public final class PopulationDeltaAccumulator {
    private final CtrSide side;
    private final DecayPolicy decay;
    private RunningMoments added = RunningMoments.empty();
    private RunningMoments removed = RunningMoments.empty();
    private final Map<Long, Long> binDeltas = new HashMap<>();

    /** Empty accumulator for a side. */
    public PopulationDeltaAccumulator(CtrSide side, DecayPolicy decay) {
        this.side = side;
        this.decay = decay;
    }

    /** Records that a key's counts changed from {@code previous} (null for a new key) to {@code next}. */
    public void replace(DecayedCounts previous, DecayedCounts next) {
        if (previous != null) {
            removed = removed.plus(previous.rate());
            addBin(PopularityBin.of(previous, decay), -1);
        }
        added = added.plus(next.rate());
        addBin(PopularityBin.of(next, decay), 1);
    }

    /** Folds in a delta drained earlier (used when pending deltas are restored from a checkpoint). */
    public void merge(PopulationDelta delta) {
        added = added.merge(delta.added());
        removed = removed.merge(delta.removed());
        for (int i = 0; i < delta.bins().length; i++) {
            addBin(delta.bins()[i], delta.binDeltas()[i]);
        }
    }

    /** Whether nothing is pending. */
    public boolean isEmpty() {
        return added.count() == 0 && removed.count() == 0 && binDeltas.isEmpty();
    }

    /** The pending changes as a delta, without clearing them. */
    public PopulationDelta peek() {
        long[] bins = new long[binDeltas.size()];
        long[] deltas = new long[binDeltas.size()];
        int i = 0;
        for (Map.Entry<Long, Long> e : binDeltas.entrySet()) {
            bins[i] = e.getKey();
            deltas[i++] = e.getValue();
        }
        return new PopulationDelta(side, added, removed, bins, deltas);
    }

    /** The pending changes as a delta; the accumulator is empty afterwards. */
    public PopulationDelta drain() {
        PopulationDelta delta = peek();
        added = RunningMoments.empty();
        removed = RunningMoments.empty();
        binDeltas.clear();
        return delta;
    }

    private void addBin(long bin, long delta) {
        binDeltas.merge(bin, delta, (a, b) -> a + b == 0 ? null : a + b);
    }
}
