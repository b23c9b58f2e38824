package dev.hstu.formats.movielens;

/**
 * MovieLens stars read as the action bitmask of the ranking seeds (exposure = 0, click = bit value 1, like = bit
 * value 2): a rated movie was shown to the user (exposure), a rating at or above {@code clickRating} is also a click,
 * one at or above {@code likeRating} also a like. With the defaults 4 and 5: 0.5-3.5 stars = 0, 4-4.5 = 1, 5 = 3.
 *
 * @param clickRating the lowest rating that is a click
 * @param likeRating the lowest rating that is a like
 */
public record MovieLensActionBits(double clickRating, double likeRating) {

    /** The bit value of a click. */
    public static final int CLICK = 1;
    /** The bit value of a like. */
    public static final int LIKE = 2;

    /** @throws IllegalArgumentException unless both thresholds are finite */
    public MovieLensActionBits {
        if (!Double.isFinite(clickRating) || !Double.isFinite(likeRating)) {
            throw new IllegalArgumentException(
                    "click and like rating thresholds must be finite, got " + clickRating + " and " + likeRating);
        }
    }

    /** @return click at 4 stars or more, like at 5 */
    public static MovieLensActionBits defaults() {
        return new MovieLensActionBits(MovieLensActions.DEFAULT_CLICK_RATING, 5.0);
    }

    /**
     * @param stars a rating
     * @return its action bitmask
     */
    public int action(double stars) {
        return (stars >= clickRating ? CLICK : 0) | (stars >= likeRating ? LIKE : 0);
    }
}
