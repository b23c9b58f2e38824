package dev.hstu.ctr;

/**
 * A change of a side's population accumulated by one subtask: the key rates that entered, the
 * rates that left (a key's old rate leaves when its new one enters) and the change of keys per
 * popularity bin. Deltas commute, so the aggregator may apply them in any order.
 *
 * @param side the side
 * @param added moments of the rates that entered
 * @param removed moments of the rates that left
 * @param bins popularity bins whose key count changed
 * @param binDeltas change of the key count of {@code bins[i]}
 */
public record PopulationDelta(
        CtrSide side, RunningMoments added, RunningMoments removed, long[] bins, long[] binDeltas) {

    /** Validates that bins and deltas line up. */
    public PopulationDelta {
        if (bins.length != binDeltas.length) {
            throw new IllegalArgumentException(
                    "bins and binDeltas differ in length: " + bins.length + " vs " + binDeltas.length);
        }
    }

    /** The rate moments after this delta. */
    public RunningMoments applyTo(RunningMoments rates) {
        return rates.merge(added).unmerge(removed);
    }

    /** Applies the bin changes to a histogram. */
    public void applyTo(PopularityHistogram popularity) {
        for (int i = 0; i < bins.length; i++) {
            popularity.add(bins[i], binDeltas[i]);
        }
    }

    /** Whether the delta changes nothing. */
    public boolean isEmpty() {
        return added.count() == 0 && removed.count() == 0 && bins.length == 0;
    }
}
