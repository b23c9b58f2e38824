package dev.hstu.ctr;

/**
 * CTR features of one key at one time, the record that training and serving join to sequences.
 *
 * @param side user or item
 * @param key the user or item id (u64)
 * @param asOfMs the time the counts are decayed to (in the stream: the key's latest event time)
 * @param lastEventMs the key's latest event time
 * @param exposures decayed exposures at {@code asOfMs}
 * @param clicks decayed (weighted) clicks at {@code asOfMs}
 * @param ctr smoothed CTR {@code (clicks + a) / (exposures + a + b)}
 * @param ctrZ standardised CTR {@code (ctr - rateMean) / rateStd} of the population, 0 when the
 *     population has no spread
 * @param popularityBucket 0 (coldest) to the number of bucket quantiles (hottest)
 * @param populationVersion version of the {@link PopulationSnapshot} used
 */
public record CtrFeature(
        CtrSide side,
        long key,
        long asOfMs,
        long lastEventMs,
        double exposures,
        double clicks,
        double ctr,
        double ctrZ,
        int popularityBucket,
        long populationVersion) {

    /**
     * Features of a key from its counts and a population snapshot, with the counts decayed to {@code
     * asOfMs}; the single definition used by the stream, the batch precompute and the files.
     */
    public static CtrFeature of(
            CtrSide side,
            long key,
            DecayedCounts counts,
            PopulationSnapshot population,
            long asOfMs,
            DecayPolicy decay) {
        DecayedCounts now = counts.at(asOfMs, decay);
        double ctr = population.prior().smooth(now.clicks(), now.exposures());
        double z = population.rateStd() > 0 ? (ctr - population.rateMean()) / population.rateStd() : 0.0;
        int bucket = PopularityBin.bucket(PopularityBin.of(counts, decay), population.bucketThresholds());
        return new CtrFeature(
                side,
                key,
                asOfMs,
                counts.anchorMs(),
                now.exposures(),
                now.clicks(),
                ctr,
                z,
                bucket,
                population.version());
    }
}
