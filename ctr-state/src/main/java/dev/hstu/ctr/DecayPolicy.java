package dev.hstu.ctr;

import java.io.Serializable;
import java.time.Duration;

/**
 * Exponential decay of counts in event time: an event {@code d} milliseconds old weighs {@code
 * 2^(-d / halfLife)}. A half-life of zero means no decay (plain counts).
 *
 * <p>StrictMath is used so that the batch and the streaming computation, which may run on
 * different JIT tiers, get bit-identical factors for identical inputs.
 *
 * @param halfLifeMs half-life in milliseconds; 0 disables decay
 */
public record DecayPolicy(long halfLifeMs) implements Serializable {

    /** Validates the half-life. */
    public DecayPolicy {
        if (halfLifeMs < 0) {
            throw new InvalidCtrInputException("half-life must be >= 0 ms, got " + halfLifeMs);
        }
    }

    /** No decay: counts are plain sums. */
    public static DecayPolicy none() {
        return new DecayPolicy(0);
    }

    /** Decay with the given half-life. */
    public static DecayPolicy halfLife(Duration halfLife) {
        return new DecayPolicy(halfLife.toMillis());
    }

    /** Whether counts decay at all. */
    public boolean decays() {
        return halfLifeMs > 0;
    }

    /**
     * Factor that carries a count from {@code fromMs} to {@code toMs}; below 1 forward in time,
     * above 1 backward.
     */
    public double factor(long fromMs, long toMs) {
        if (!decays() || fromMs == toMs) {
            return 1.0;
        }
        return StrictMath.pow(2.0, -((double) (toMs - fromMs)) / halfLifeMs);
    }

    /**
     * Time-invariant log2 popularity offset of a count anchored at {@code anchorMs}: two counts
     * compare the same at every later time once this offset is added to their log2 value.
     */
    public double log2Offset(long anchorMs) {
        return decays() ? ((double) anchorMs) / halfLifeMs : 0.0;
    }
}
