package dev.hstu.ctr;

/**
 * A Beta(a, b) prior on a click rate. Smoothing adds {@code a} pseudo-clicks and {@code a + b}
 * pseudo-exposures: {@code ctr = (clicks + a) / (exposures + a + b)}.
 *
 * @param a pseudo-clicks, >= 0
 * @param b pseudo-non-clicks, >= 0
 */
public record BetaPrior(double a, double b) {

    /**
     * Validates the parameters.
     *
     * @throws InvalidCtrInputException when a or b is negative, NaN or infinite, or both are 0
     */
    public BetaPrior {
        if (!Double.isFinite(a) || a < 0 || !Double.isFinite(b) || b < 0 || a + b <= 0) {
            throw new InvalidCtrInputException("prior a=" + a + ", b=" + b + " must be finite, >= 0 and not both 0");
        }
    }

    /** Prior strength a + b: how many exposures the prior is worth. */
    public double strength() {
        return a + b;
    }

    /** Prior mean a / (a + b). */
    public double mean() {
        return a / (a + b);
    }

    /** Posterior-mean CTR of a key with these (possibly decayed) counts. */
    public double smooth(double clicks, double exposures) {
        return (clicks + a) / (exposures + a + b);
    }
}
