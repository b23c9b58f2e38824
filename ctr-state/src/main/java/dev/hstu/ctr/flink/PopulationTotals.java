package dev.hstu.ctr.flink;

import dev.hstu.ctr.RunningMoments;

/**
 * The aggregator's per-side state besides the popularity bins.
 *
 * @param version number of deltas applied so far
 * @param rates moments of the keys' raw click rates
 */
public record PopulationTotals(long version, RunningMoments rates) {

    /** State before the first delta. */
    public static PopulationTotals initial() {
        return new PopulationTotals(0, RunningMoments.empty());
    }
}
