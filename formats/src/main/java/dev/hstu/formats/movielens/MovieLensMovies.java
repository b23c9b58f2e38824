package dev.hstu.formats.movielens;

import dev.hstu.formats.io.InputReject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Owns the MovieLens {@code movies.csv}: the header {@value #HEADER}, then one movie a line; the title is quoted
 * (with {@code ""} for a quote) when it holds a comma or a quote, the genres are {@code |}-separated names of
 * {@link #GENRES} or the single {@value #NO_GENRES}. A line that is not a movie (no movieId, a bad quote, an unknown
 * or repeated genre) reaches the handler as an {@link InputReject} naming {@code file:line} and the reason, and
 * reading goes on; blank lines are skipped.
 */
public final class MovieLensMovies {
    /** The header the file must start with. */
    public static final String HEADER = "movieId,title,genres";

    /** What the file writes for a movie without genres: the empty set. */
    public static final String NO_GENRES = "(no genres listed)";

    /** The genres, in bit order of {@link Movie#genres()}. */
    public static final List<String> GENRES = List.of(
            "Action",
            "Adventure",
            "Animation",
            "Children",
            "Comedy",
            "Crime",
            "Documentary",
            "Drama",
            "Fantasy",
            "Film-Noir",
            "Horror",
            "IMAX",
            "Musical",
            "Mystery",
            "Romance",
            "Sci-Fi",
            "Thriller",
            "War",
            "Western");

    private MovieLensMovies() {}

    /**
     * One line of the file.
     *
     * @param movie movieId
     * @param title the title, unquoted
     * @param genres bit {@code i} set when the movie has genre {@code GENRES.get(i)}; 0 for {@value #NO_GENRES}
     */
    public record Movie(long movie, String title, int genres) {

        /**
         * @return the release year the title ends with, as MovieLens writes it ({@code "Heat (1995)"}); empty when
         *     the title ends otherwise (no year, or a range such as {@code (2006–2007)})
         */
        public OptionalInt year() {
            String t = title.strip();
            int n = t.length();
            if (n < 6 || t.charAt(n - 1) != ')' || t.charAt(n - 6) != '(') {
                return OptionalInt.empty();
            }
            int year = 0;
            for (int i = n - 5; i < n - 1; i++) {
                char c = t.charAt(i);
                if (c < '0' || c > '9') {
                    return OptionalInt.empty();
                }
                year = year * 10 + (c - '0');
            }
            return OptionalInt.of(year);
        }
    }

    /** Receives the movies and rejected lines, in file order. */
    public interface Handler {
        /**
         * @param line 1-based line
         * @param movie its movie
         * @throws IOException to stop reading
         */
        void movie(long line, Movie movie) throws IOException;

        /**
         * @param reject a line that is not a movie
         * @throws IOException to stop reading (e.g. {@code throw reject.toException()})
         */
        void reject(InputReject reject) throws IOException;
    }

    /**
     * @param file the movies file
     * @param handler receives every movie and rejected line in file order
     * @throws IOException when the file cannot be read, does not start with {@value #HEADER}, or the handler stops
     */
    public static void read(Path file, Handler handler) throws IOException {
        HeaderedCsv.read(file, HEADER, MovieLensMovies::parse, handler::movie, handler::reject);
    }

    // The id has no comma and the genres none either, so only the title between them can be quoted.
    private static Movie parse(String line) {
        int first = line.indexOf(',');
        int last = line.lastIndexOf(',');
        if (first < 0 || first == last) {
            throw new IllegalArgumentException("expected 3 fields (movieId,title,genres)");
        }
        long movie;
        try {
            movie = Long.parseUnsignedLong(line.substring(0, first).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("movieId='" + line.substring(0, first) + "' is not an unsigned integer");
        }
        return new Movie(
                movie,
                title(line.substring(first + 1, last)),
                genres(line.substring(last + 1).strip()));
    }

    private static String title(String field) {
        if (!field.startsWith("\"")) {
            if (field.contains(",") || field.contains("\"")) {
                throw new IllegalArgumentException("a title with a comma or a quote must be quoted, got " + field);
            }
            return field;
        }
        if (field.length() < 2 || !field.endsWith("\"")) {
            throw new IllegalArgumentException("quoted title has no closing quote: " + field);
        }
        String inner = field.substring(1, field.length() - 1);
        if (inner.replace("\"\"", "").contains("\"")) {
            throw new IllegalArgumentException("quoted title has an unescaped quote (write \"\"): " + field);
        }
        return inner.replace("\"\"", "\"");
    }

    private static int genres(String field) {
        if (field.equals(NO_GENRES)) {
            return 0;
        }
        int mask = 0;
        for (String name : field.split("\\|", -1)) {
            int bit = GENRES.indexOf(name);
            if (bit < 0) {
                throw new IllegalArgumentException(
                        "genre '" + name + "' is not one of " + GENRES + " (or '" + NO_GENRES + "' alone)");
            }
            if ((mask & (1 << bit)) != 0) {
                throw new IllegalArgumentException("genre " + name + " is listed twice");
            }
            mask |= 1 << bit;
        }
        return mask;
    }
}
