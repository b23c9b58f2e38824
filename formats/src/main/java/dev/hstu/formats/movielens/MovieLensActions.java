package dev.hstu.formats.movielens;

/**
 * What a MovieLens rating means as an action bitmask. MovieLens has stars, not actions, and the project reads them in
 * two ways: the offline model keeps the whole stars (so it can tell a 1-star from a 5-star interaction), the CTR
 * statistics and the streaming demo see a click (bit 1) at or above a star threshold and an exposure (0) below it.
 * Each caller names the one it means.
 *
 * @param clickRating the threshold of a click; NaN for whole stars
 */
public record MovieLensActions(double clickRating) {
    /** The project's convention for clicks: a rating of 4.0 or more. */
    public static final double DEFAULT_CLICK_RATING = 4.0;

    /** @throws IllegalArgumentException for an infinite threshold */
    public MovieLensActions {
        if (Double.isInfinite(clickRating)) {
            throw new IllegalArgumentException("click rating threshold " + clickRating + " must be finite");
        }
    }

    /** @return the action of a rating rounded to whole stars, 0 to 5 */
    public static MovieLensActions wholeStars() {
        return new MovieLensActions(Double.NaN);
    }

    /**
     * @param clickRating the lowest rating that is a click
     * @return action 1 (click) at or above it, 0 (exposure) below
     * @throws IllegalArgumentException unless it is finite
     */
    public static MovieLensActions clickAtOrAbove(double clickRating) {
        if (!Double.isFinite(clickRating)) {
            throw new IllegalArgumentException("click rating threshold " + clickRating + " must be finite");
        }
        return new MovieLensActions(clickRating);
    }

    /** @return whether this is {@link #wholeStars()} */
    public boolean isWholeStars() {
        return Double.isNaN(clickRating);
    }

    /**
     * @param stars a rating
     * @return its action bitmask
     */
    public int action(double stars) {
        return isWholeStars() ? (int) Math.round(stars) : (stars >= clickRating ? 1 : 0);
    }
}
