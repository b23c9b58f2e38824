package dev.hstu.ctr;

/**
 * Exposure and (weighted) click counts of one key, decayed to the key's latest event time.
 *
 * <p>Storing the sums at the latest event time ({@code anchorMs}) and rescaling on every update
 * makes the result independent of arrival order: an event older than the anchor is scaled down
 * before it is added, a newer one moves the anchor and scales the old sums down. Both paths give
 * {@code sum_i 2^(-(anchor - t_i)/halfLife)} up to rounding. Keeping the anchor at the key's own
 * latest event (not a global reference time) keeps the factors in [0, 1], so nothing overflows
 * however long the stream runs.
 *
 * @param anchorMs event time the sums refer to: the latest event time of the key
 * @param exposures decayed number of exposures, at least 1 right after any event
 * @param clicks decayed engagement sum, between 0 and {@code exposures}
 */
public record DecayedCounts(long anchorMs, double exposures, double clicks) {
    /** Rounding of two equally decayed sums may put clicks a few ulps above exposures. */
    private static final double CLICK_SLACK = 1e-9;

    /**
     * Validates the counts.
     *
     * @throws InvalidCtrInputException for negative, NaN or infinite counts, clicks above exposures
     *     or a negative anchor
     */
    public DecayedCounts {
        if (anchorMs < 0) {
            throw new InvalidCtrInputException("anchorMs=" + anchorMs + " is negative");
        }
        if (!Double.isFinite(exposures) || exposures < 0) {
            throw new InvalidCtrInputException("exposures=" + exposures + " must be finite and >= 0");
        }
        if (!Double.isFinite(clicks) || clicks < 0) {
            throw new InvalidCtrInputException("clicks=" + clicks + " must be finite and >= 0");
        }
        if (clicks > exposures * (1 + CLICK_SLACK)) {
            throw new InvalidCtrInputException("clicks=" + clicks + " exceed exposures=" + exposures);
        }
    }

    /** Counts after the first event of a key. */
    public static DecayedCounts first(long timestampMs, double engagement) {
        checkEngagement(engagement);
        return new DecayedCounts(timestampMs, 1.0, engagement);
    }

    /**
     * Adds one exposure with the given engagement at {@code timestampMs}, in any order relative to
     * earlier calls.
     */
    public DecayedCounts plus(long timestampMs, double engagement, DecayPolicy decay) {
        checkEngagement(engagement);
        if (timestampMs >= anchorMs) {
            double f = decay.factor(anchorMs, timestampMs);
            return new DecayedCounts(timestampMs, exposures * f + 1.0, clicks * f + engagement);
        }
        double f = decay.factor(timestampMs, anchorMs);
        return new DecayedCounts(anchorMs, exposures + f, clicks + engagement * f);
    }

    /**
     * The same counts decayed to a later time.
     *
     * @throws IllegalArgumentException when {@code asOfMs} is before the anchor: events after it
     *     are already inside the sums
     */
    public DecayedCounts at(long asOfMs, DecayPolicy decay) {
        if (asOfMs < anchorMs) {
            throw new IllegalArgumentException("asOfMs=" + asOfMs + " is before the latest event " + anchorMs);
        }
        double f = decay.factor(anchorMs, asOfMs);
        return new DecayedCounts(asOfMs, exposures * f, clicks * f);
    }

    /**
     * Raw click rate clicks/exposures; unchanged by decay because both sums decay alike.
     *
     * @throws IllegalStateException when there are no exposures
     */
    public double rate() {
        if (exposures <= 0) {
            throw new IllegalStateException("rate of a key without exposures");
        }
        return Math.min(1.0, clicks / exposures);
    }

    private static void checkEngagement(double engagement) {
        if (!(engagement >= 0 && engagement <= 1)) {
            throw new InvalidCtrInputException("engagement=" + engagement + " must be in [0, 1]");
        }
    }
}
