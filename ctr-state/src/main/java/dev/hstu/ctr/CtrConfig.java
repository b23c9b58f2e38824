package dev.hstu.ctr;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything that defines the CTR features; the offline precompute and the streaming functions take
 * the same object, so both compute the same thing.
 *
 * @param actionWeights which action bits count as engagement and how much
 * @param decay half-life of the counts in event time (0 = plain counts)
 * @param prior fixed or auto-fitted Beta prior, with the clip of the fitted prior strength
 * @param bucketQuantiles popularity quantiles for hot/cold buckets
 * @param allowedLateness how far behind the watermark an event may be and still be folded in
 *     (stream only)
 * @param stateTtl processing-time TTL of keyed state (stream only); a storage backstop, see
 *     ctr-state/README.md for what expiry means for the population
 * @param populationFlushInterval event-time period after which a subtask sends its accumulated
 *     population changes to the aggregator (stream only); {@code Duration.ZERO} sends one delta
 *     per event
 */
public record CtrConfig(
        ActionWeights actionWeights,
        DecayPolicy decay,
        PriorSpec prior,
        BucketQuantiles bucketQuantiles,
        Duration allowedLateness,
        Duration stateTtl,
        Duration populationFlushInterval)
        implements Serializable {

    /** Validates the durations and that nothing is missing. */
    public CtrConfig {
        Objects.requireNonNull(actionWeights, "actionWeights");
        Objects.requireNonNull(decay, "decay");
        Objects.requireNonNull(prior, "prior");
        Objects.requireNonNull(bucketQuantiles, "bucketQuantiles");
        requireNonNegative("allowedLateness", allowedLateness);
        requireNonNegative("populationFlushInterval", populationFlushInterval);
        if (stateTtl == null || stateTtl.isZero() || stateTtl.isNegative()) {
            throw new InvalidCtrInputException("stateTtl=" + stateTtl + " must be positive");
        }
    }

    /**
     * Click-only actions, no decay, auto prior with k clipped to [10, 10000], hot = top 20%, no
     * allowed lateness, 365 days TTL, population flushed every minute of event time.
     */
    public static CtrConfig defaults() {
        return new CtrConfig(
                ActionWeights.clickOnly(),
                DecayPolicy.none(),
                PriorSpec.DEFAULT,
                BucketQuantiles.of(0.8),
                Duration.ZERO,
                Duration.ofDays(365),
                Duration.ofMinutes(1));
    }

    /** Copy with other action weights. */
    public CtrConfig withActionWeights(ActionWeights value) {
        return new CtrConfig(value, decay, prior, bucketQuantiles, allowedLateness, stateTtl, populationFlushInterval);
    }

    /** Copy with another decay. */
    public CtrConfig withDecay(DecayPolicy value) {
        return new CtrConfig(
                actionWeights, value, prior, bucketQuantiles, allowedLateness, stateTtl, populationFlushInterval);
    }

    /** Copy with another prior. */
    public CtrConfig withPrior(PriorSpec value) {
        return new CtrConfig(
                actionWeights, decay, value, bucketQuantiles, allowedLateness, stateTtl, populationFlushInterval);
    }

    /** Copy with other bucket quantiles. */
    public CtrConfig withBucketQuantiles(BucketQuantiles value) {
        return new CtrConfig(actionWeights, decay, prior, value, allowedLateness, stateTtl, populationFlushInterval);
    }

    /** Copy with another allowed lateness. */
    public CtrConfig withAllowedLateness(Duration value) {
        return new CtrConfig(actionWeights, decay, prior, bucketQuantiles, value, stateTtl, populationFlushInterval);
    }

    /** Copy with another state TTL. */
    public CtrConfig withStateTtl(Duration value) {
        return new CtrConfig(
                actionWeights, decay, prior, bucketQuantiles, allowedLateness, value, populationFlushInterval);
    }

    /** Copy with another population flush interval. */
    public CtrConfig withPopulationFlushInterval(Duration value) {
        return new CtrConfig(actionWeights, decay, prior, bucketQuantiles, allowedLateness, stateTtl, value);
    }

    private static void requireNonNegative(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new InvalidCtrInputException(name + "=" + d + " must be >= 0");
        }
    }
}
