package dev.hstu.model.cli;

import dev.hstu.formats.movielens.MovieLensActionBits;
import picocli.CommandLine.Option;

/** How a ranking run cuts samples and reads MovieLens stars as labels (see {@code docs/ranking.md}). */
public final class RankingOptions {

    @Option(
            names = "--window-events",
            defaultValue = "10",
            description = "ranking: candidates per sample window; a user's newest window is test, the one before"
                    + " validation (default ${DEFAULT-VALUE})")
    int windowEvents;

    @Option(
            names = "--click-rating",
            defaultValue = "4.0",
            description =
                    "ranking on MovieLens: a rating at or above this is a click, bit value 1 (default ${DEFAULT-VALUE})")
    double clickRating;

    @Option(
            names = "--like-rating",
            defaultValue = "5.0",
            description =
                    "ranking on MovieLens: a rating at or above this is a like, bit value 2 (default ${DEFAULT-VALUE})")
    double likeRating;

    /** @return the stars-to-bitmask mapping of these options */
    MovieLensActionBits actions() {
        return new MovieLensActionBits(clickRating, likeRating);
    }
}
