package dev.hstu.ctr;

/**
 * Population-level statistics of one side at one moment: what every subtask needs to turn a key's
 * counts into features.
 *
 * @param side the side
 * @param version increases with every update of the population (stream: deltas applied; batch:
 *     events folded)
 * @param keys number of keys in the population
 * @param rateMean mean raw click rate over keys; the centre of the standardised CTR
 * @param rateStd population standard deviation of the raw rates; the scale of the standardised CTR
 * @param prior the Beta prior for smoothing (fitted or fixed)
 * @param bucketThresholds popularity bin thresholds, one per configured quantile
 */
public record PopulationSnapshot(
        CtrSide side,
        long version,
        long keys,
        double rateMean,
        double rateStd,
        BetaPrior prior,
        long[] bucketThresholds) {

    /** Snapshot of the given rate moments and popularity histogram. */
    public static PopulationSnapshot of(
            CtrSide side, long version, RunningMoments rates, PopularityHistogram popularity, CtrConfig config) {
        return new PopulationSnapshot(
                side,
                version,
                rates.count(),
                rates.mean(),
                rates.std(),
                config.prior().fit(rates),
                popularity.thresholds(config.bucketQuantiles()));
    }

    /** The population before any key was seen. */
    public static PopulationSnapshot empty(CtrSide side, CtrConfig config) {
        return of(side, 0, RunningMoments.empty(), new PopularityHistogram(), config);
    }
}
