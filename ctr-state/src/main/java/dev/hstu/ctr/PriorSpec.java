package dev.hstu.ctr;

import java.io.Serializable;
import java.util.Locale;

/**
 * How the Beta prior is chosen: fixed {@code a,b}, or {@code auto}, fitted by the method of
 * moments to the raw click rates of all keys of a side.
 *
 * <p>Auto fit: with m the mean and v the population variance of the keys' rates, the prior
 * strength is {@code k = m(1-m)/v - 1}, clipped to {@code [kMin, kMax]} (the seed's {@code
 * --k_clip 10,10000}), and {@code a = m k, b = (1-m) k}. The clip is on the prior's effective
 * count k = a + b: the method of moments gives k <= 0 when the rates vary more than a Beta allows
 * (typical when many keys have one or two exposures) and k -> infinity when they hardly vary, so an
 * unclipped fit would either ignore or overrule the data. A population with no keys gets m = 0.5,
 * k = kMin; a population whose rates do not vary gets k = kMax.
 *
 * @param fixed the fixed prior, or null for auto
 * @param kMin lower clip of the fitted prior strength (auto only)
 * @param kMax upper clip of the fitted prior strength (auto only)
 */
public record PriorSpec(BetaPrior fixed, double kMin, double kMax) implements Serializable {

    /** The seed's defaults: {@code --prior auto --k_clip 10,10000}. */
    public static final PriorSpec DEFAULT = auto(10, 10_000);

    /** Validates the clip. */
    public PriorSpec {
        if (!(kMin > 0) || !(kMax >= kMin) || Double.isInfinite(kMax)) {
            throw new InvalidCtrInputException("k_clip " + kMin + "," + kMax + " must satisfy 0 < min <= max < inf");
        }
    }

    /** Auto prior with the prior strength clipped to [kMin, kMax]. */
    public static PriorSpec auto(double kMin, double kMax) {
        return new PriorSpec(null, kMin, kMax);
    }

    /** Fixed prior; the clip does not apply. */
    public static PriorSpec fixed(double a, double b) {
        return new PriorSpec(new BetaPrior(a, b), DEFAULT.kMin, DEFAULT.kMax);
    }

    /**
     * Parses the seed's options: {@code prior} is {@code auto} or {@code a,b}; {@code kClip} is
     * {@code min,max}.
     *
     * @throws InvalidCtrInputException when either text is malformed
     */
    public static PriorSpec parse(String prior, String kClip) {
        double[] clip = parsePair("k_clip", kClip);
        if (prior.trim().equalsIgnoreCase("auto")) {
            return auto(clip[0], clip[1]);
        }
        double[] ab = parsePair("prior", prior);
        return new PriorSpec(new BetaPrior(ab[0], ab[1]), clip[0], clip[1]);
    }

    /** Whether the prior is fitted from the population. */
    public boolean isAuto() {
        return fixed == null;
    }

    /** The prior for a population whose raw rates have these moments. */
    public BetaPrior fit(RunningMoments rates) {
        if (fixed != null) {
            return fixed;
        }
        if (rates.count() == 0) {
            return new BetaPrior(0.5 * kMin, 0.5 * kMin);
        }
        double m = Math.min(1.0, Math.max(0.0, rates.mean()));
        double v = rates.variance();
        double k = v > 0 ? m * (1 - m) / v - 1 : kMax;
        k = Math.min(kMax, Math.max(kMin, k));
        return new BetaPrior(m * k, (1 - m) * k);
    }

    /** Text form as accepted by {@link #parse}'s {@code prior} argument. */
    public String priorText() {
        return fixed == null ? "auto" : String.format(Locale.ROOT, "%s,%s", fixed.a(), fixed.b());
    }

    private static double[] parsePair(String option, String text) {
        String[] parts = text.split(",");
        if (parts.length != 2) {
            throw new InvalidCtrInputException(option + " '" + text + "' must be two numbers separated by a comma");
        }
        try {
            return new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
        } catch (NumberFormatException e) {
            throw new InvalidCtrInputException(option + " '" + text + "' must be two numbers separated by a comma");
        }
    }
}
