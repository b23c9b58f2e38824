package dev.hstu.ctr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Final per-key counts and population statistics of one side, as the offline precompute produces
 * them and as the stream's state holds them after the same events.
 *
 * @param side the side
 * @param counts counts by key, each decayed to the key's latest event time
 * @param population population statistics over these keys
 */
public record CtrTables(CtrSide side, Map<Long, DecayedCounts> counts, PopulationSnapshot population) {

    /** Copies the map so later changes of the caller's map do not leak in. */
    public CtrTables {
        counts = Collections.unmodifiableMap(new java.util.HashMap<>(counts));
    }

    /** Features of every key decayed to {@code asOfMs}, sorted by unsigned key. */
    public List<CtrFeature> features(long asOfMs, DecayPolicy decay) {
        List<Long> keys = new ArrayList<>(counts.keySet());
        keys.sort(Long::compareUnsigned);
        List<CtrFeature> out = new ArrayList<>(keys.size());
        for (long key : keys) {
            out.add(CtrFeature.of(side, key, counts.get(key), population, asOfMs, decay));
        }
        return out;
    }

    /** Latest event time over all keys; Long.MIN_VALUE when empty. */
    public long latestEventMs() {
        long max = Long.MIN_VALUE;
        for (DecayedCounts c : counts.values()) {
            max = Math.max(max, c.anchorMs());
        }
        return max;
    }

    /** Population of a set of final per-key counts: the offline definition of the population. */
    public static CtrTables of(CtrSide side, Map<Long, DecayedCounts> counts, long version, CtrConfig config) {
        RunningMoments rates = RunningMoments.empty();
        PopularityHistogram popularity = new PopularityHistogram();
        List<Long> keys = new ArrayList<>(counts.keySet());
        // A fixed order keeps the floating-point sums reproducible from run to run.
        keys.sort(Long::compareUnsigned);
        for (long key : keys) {
            DecayedCounts c = counts.get(key);
            rates = rates.plus(c.rate());
            popularity.add(PopularityBin.of(c, config.decay()), 1);
        }
        return new CtrTables(side, counts, PopulationSnapshot.of(side, version, rates, popularity, config));
    }
}
