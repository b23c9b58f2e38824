package dev.hstu.ctr;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Weights of the action bits that count as engagement. An event's engagement is the sum of the
 * weights of its set bits, capped at 1, so the weighted click count of a key never exceeds its
 * exposure count and the Beta model stays valid. A set bit without a configured weight makes the
 * event invalid: unknown actions are rejected, never guessed.
 */
public final class ActionWeights implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Bit 31 is the sign bit of the int mask; allowing it would make negative masks legal. */
    public static final int MAX_BIT = 30;

    private final int configuredMask;
    private final double[] weightByBit;

    private ActionWeights(int configuredMask, double[] weightByBit) {
        this.configuredMask = configuredMask;
        this.weightByBit = weightByBit;
    }

    /** Bit 0 (click) with weight 1; every other bit is unknown. */
    public static ActionWeights clickOnly() {
        return of(Map.of(0, 1.0));
    }

    /**
     * Weights by bit index.
     *
     * @throws InvalidCtrInputException for a bit outside [0, 30] or a weight that is negative, NaN or
     *     infinite
     */
    public static ActionWeights of(Map<Integer, Double> weights) {
        if (weights.isEmpty()) {
            throw new InvalidCtrInputException("action weights: at least one action bit is required");
        }
        double[] byBit = new double[MAX_BIT + 1];
        int mask = 0;
        for (Map.Entry<Integer, Double> e : weights.entrySet()) {
            int bit = e.getKey();
            double w = e.getValue();
            if (bit < 0 || bit > MAX_BIT) {
                throw new InvalidCtrInputException("action weights: bit " + bit + " is outside [0, " + MAX_BIT + "]");
            }
            if (!Double.isFinite(w) || w < 0) {
                throw new InvalidCtrInputException(
                        "action weights: weight of bit " + bit + " is " + w + ", must be finite and >= 0");
            }
            byBit[bit] = w;
            mask |= 1 << bit;
        }
        return new ActionWeights(mask, byBit);
    }

    /**
     * Parses {@code "0=1.0,1=0.5"} (bit=weight pairs).
     *
     * @throws InvalidCtrInputException when the text is malformed
     */
    public static ActionWeights parse(String text) {
        Map<Integer, Double> weights = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.trim().split("=");
            if (kv.length != 2) {
                throw new InvalidCtrInputException("action weights: '" + pair + "' is not bit=weight");
            }
            try {
                weights.put(Integer.parseInt(kv[0].trim()), Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new InvalidCtrInputException("action weights: '" + pair + "' is not bit=weight");
            }
        }
        return of(weights);
    }

    /** True when every set bit of {@code action} has a configured weight. */
    public boolean isKnown(int action) {
        return (action & ~configuredMask) == 0;
    }

    /**
     * Engagement of one event in [0, 1].
     *
     * @throws InvalidCtrInputException when a set bit has no configured weight
     */
    public double engagement(int action) {
        if (!isKnown(action)) {
            throw new InvalidCtrInputException(unknownBitsMessage(action));
        }
        double sum = 0;
        for (int bits = action; bits != 0; bits &= bits - 1) {
            sum += weightByBit[Integer.numberOfTrailingZeros(bits)];
        }
        return Math.min(1.0, sum);
    }

    /** Reason text for an action with unconfigured bits. */
    public String unknownBitsMessage(int action) {
        return String.format(
                Locale.ROOT,
                "action=%d has bits 0x%x outside the configured action bits 0x%x",
                action,
                action & ~configuredMask,
                configuredMask);
    }

    /** Configured weights by bit, in bit order (for metadata files). */
    public Map<Integer, Double> asMap() {
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int bit = 0; bit <= MAX_BIT; bit++) {
            if ((configuredMask & (1 << bit)) != 0) {
                out.put(bit, weightByBit[bit]);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActionWeights other
                && configuredMask == other.configuredMask
                && Arrays.equals(weightByBit, other.weightByBit);
    }

    @Override
    public int hashCode() {
        return 31 * configuredMask + Arrays.hashCode(weightByBit);
    }

    @Override
    public String toString() {
        return "ActionWeights" + asMap();
    }
}
