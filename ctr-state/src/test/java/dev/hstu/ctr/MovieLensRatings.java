package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.ctr.io.EventLogSink;
import dev.hstu.ctr.io.EventLogs;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real MovieLens latest-small ratings bundled with the repository ({@code data/ml-latest-small}). */
public final class MovieLensRatings {
    /** Relative to the module directory, where surefire runs. */
    public static final Path RATINGS_CSV = Path.of("../data/ml-latest-small/ratings.csv");

    private MovieLensRatings() {}

    /** The ratings file; fails the test with the path when the bundled data is missing. */
    public static Path file() {
        assertThat(Files.isRegularFile(RATINGS_CSV))
                .as(
                        "MovieLens ratings expected at %s",
                        RATINGS_CSV.toAbsolutePath().normalize())
                .isTrue();
        return RATINGS_CSV;
    }

    /** All ratings as events (rating >= 4 is a click), in file order. */
    public static List<CtrEvent> events() {
        List<CtrEvent> events = new ArrayList<>();
        try {
            EventLogs.readMovieLens(
                    file(), MovieLensActions.clickAtOrAbove(MovieLensActions.DEFAULT_CLICK_RATING), new EventLogSink() {
                        @Override
                        public void event(long line, CtrEvent event) {
                            events.add(event);
                        }

                        @Override
                        public void reject(InputReject reject) {
                            throw new AssertionError("the bundled ratings.csv has a bad row: " + reject);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
