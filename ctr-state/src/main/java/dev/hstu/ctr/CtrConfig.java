package dev.hstu.ctr;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything that defines the CTR features; the offline precompute and the jobs' CTR stage take the same object, so
 * both compute the same thing.
 *
 * @param actionWeights which action bits count as engagement and how much
 * @param decay half-life of the counts in event time (0 = plain counts)
 * @param prior fixed or auto-fitted Beta prior, with the clip of the fitted prior strength
 * @param bucketQuantiles popularity quantiles for hot/cold buckets
 * @param stateTtl processing-time TTL of keyed state (stream only); a storage backstop, see ctr-state/README.md for
 *     what expiry means for the population
 */
public record CtrConfig(
        ActionWeights actionWeights,
        DecayPolicy decay,
        PriorSpec prior,
        BucketQuantiles bucketQuantiles,
        Duration stateTtl)
        implements Serializable {

    /** Validates the TTL and that nothing is missing. */
    public CtrConfig {
        Objects.requireNonNull(actionWeights, "actionWeights");
        Objects.requireNonNull(decay, "decay");
        Objects.requireNonNull(prior, "prior");
        Objects.requireNonNull(bucketQuantiles, "bucketQuantiles");
        if (stateTtl == null || stateTtl.isZero() || stateTtl.isNegative()) {
            throw new InvalidCtrInputException("stateTtl=" + stateTtl + " must be positive");
        }
    }

    /** Click-only actions, no decay, auto prior with k clipped to [10, 10000], hot = top 20%, 365 days TTL. */
    public static CtrConfig defaults() {
        return new CtrConfig(
                ActionWeights.clickOnly(),
                DecayPolicy.none(),
                PriorSpec.DEFAULT,
                BucketQuantiles.of(0.8),
                Duration.ofDays(365));
    }

    /** Copy with other action weights. */
    public CtrConfig withActionWeights(ActionWeights value) {
        return new CtrConfig(value, decay, prior, bucketQuantiles, stateTtl);
    }

    /** Copy with another decay. */
    public CtrConfig withDecay(DecayPolicy value) {
        return new CtrConfig(actionWeights, value, prior, bucketQuantiles, stateTtl);
    }

    /** Copy with another prior. */
    public CtrConfig withPrior(PriorSpec value) {
        return new CtrConfig(actionWeights, decay, value, bucketQuantiles, stateTtl);
    }

    /** Copy with other bucket quantiles. */
    public CtrConfig withBucketQuantiles(BucketQuantiles value) {
        return new CtrConfig(actionWeights, decay, prior, value, stateTtl);
    }

    /** Copy with another state TTL. */
    public CtrConfig withStateTtl(Duration value) {
        return new CtrConfig(actionWeights, decay, prior, bucketQuantiles, value);
    }
}
