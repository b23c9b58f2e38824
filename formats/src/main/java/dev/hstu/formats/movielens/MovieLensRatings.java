package dev.hstu.formats.movielens;

import dev.hstu.formats.io.InputReject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Owns the MovieLens {@code ratings.csv}: the header {@value #HEADER}, then one rating a line, timestamps in seconds.
 * The one reader of the format yields ratings as they are, stars included; what a rating means as an action is the
 * caller's choice, made with {@link MovieLensActions}. A line that is not a rating (wrong field count, an id that is
 * not an unsigned 64-bit integer, stars outside {@code [0, 5]}, a negative or overflowing timestamp) reaches the
 * handler as an {@link InputReject} naming {@code file:line} and the reason, and reading goes on; blank lines are
 * skipped.
 */
public final class MovieLensRatings {
    /** The header the file must start with. */
    public static final String HEADER = "userId,movieId,rating,timestamp";

    private MovieLensRatings() {}

    /**
     * One line of the file.
     *
     * @param user userId
     * @param movie movieId
     * @param stars the rating, 0 to 5 stars in half steps in the MovieLens data
     * @param timestampSeconds seconds since 1970
     */
    public record Rating(long user, long movie, double stars, long timestampSeconds) {}

    /** Receives the ratings and rejected lines, in file order. */
    public interface Handler {
        /**
         * @param line 1-based line
         * @param rating its rating
         * @throws IOException to stop reading
         */
        void rating(long line, Rating rating) throws IOException;

        /**
         * @param reject a line that is not a rating
         * @throws IOException to stop reading (e.g. {@code throw reject.toException()})
         */
        void reject(InputReject reject) throws IOException;
    }

    /**
     * @param file the ratings file
     * @param handler receives every rating and rejected line in file order
     * @throws IOException when the file cannot be read, does not start with {@value #HEADER}, or the handler stops
     */
    public static void read(Path file, Handler handler) throws IOException {
        HeaderedCsv.read(file, HEADER, MovieLensRatings::parse, handler::rating, handler::reject);
    }

    private static Rating parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 4) {
            throw new IllegalArgumentException("expected 4 fields, got " + f.length);
        }
        long user = id(f[0], "userId");
        long movie = id(f[1], "movieId");
        double stars;
        try {
            stars = Double.parseDouble(f[2].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rating='" + f[2] + "' is not a number");
        }
        if (!(stars >= 0 && stars <= 5)) {
            throw new IllegalArgumentException("rating=" + f[2].strip() + " must be a finite number in [0, 5]");
        }
        // "-0" is zero stars; without this it would stay negative zero, below every rating comparison's 0
        stars += 0.0;
        long seconds;
        try {
            seconds = Long.parseLong(f[3].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timestamp='" + f[3] + "' is not an integer");
        }
        if (seconds < 0 || seconds > Long.MAX_VALUE / 1000) {
            throw new IllegalArgumentException("timestamp=" + seconds + " is out of range (seconds since 1970, >= 0)");
        }
        return new Rating(user, movie, stars, seconds);
    }

    private static long id(String text, String field) {
        try {
            return Long.parseUnsignedLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + "='" + text + "' is not an unsigned integer");
        }
    }
}
