package dev.hstu.model.eval;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.io.InteractionFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small, real-data slice of the bundled MovieLens ml-latest-small: every user's most recent
 * ratings only, so a test can train on real behaviour in seconds while keeping every user (the
 * more evaluated users, the less a hit-rate comparison is a coin flip).
 */
final class MovieLensSlice {

    /** The bundled copy, relative to the repository root. */
    private static final Path RATINGS = Path.of("data", "ml-latest-small", "ratings.csv");

    private MovieLensSlice() {}

    /**
     * @param recentEvents ratings kept per user, the newest by time
     * @return the sliced sequences, items numbered from a fresh vocabulary holding only the
     *     slice's items (so full ranking runs over the slice's catalogue)
     * @throws IOException if the ratings file cannot be read
     */
    static UserSequences recentRatings(int recentEvents) throws IOException {
        ItemVocabulary all = new ItemVocabulary(Integer.MAX_VALUE - 8);
        UserSequences full = InteractionFiles.movieLens(ratingsFile(), MovieLensActions.wholeStars())
                .build(all, all::indexOrAssign);
        UserSequences.Collector kept = new UserSequences.Collector();
        for (int u = 0; u < full.size(); u++) {
            int[] items = full.items().get(u);
            // sequences are already sorted by time (stably), so the tail is the newest ratings
            for (int i = Math.max(0, items.length - recentEvents); i < items.length; i++) {
                kept.add(
                        full.userIds()[u],
                        all.idOf(items[i]),
                        full.actions().get(u)[i],
                        full.timestamps().get(u)[i]);
            }
        }
        ItemVocabulary slice = new ItemVocabulary(Integer.MAX_VALUE - 8);
        return kept.build(slice, slice::indexOrAssign);
    }

    /** Surefire runs in the module directory; walk up so the test also runs from the root. */
    private static Path ratingsFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RATINGS);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new UncheckedIOException(new IOException(
                "bundled " + RATINGS + " not found above " + Path.of("").toAbsolutePath()));
    }
}
