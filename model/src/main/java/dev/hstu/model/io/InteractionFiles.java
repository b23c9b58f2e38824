package dev.hstu.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.movielens.MovieLensMovies;
import dev.hstu.formats.movielens.MovieLensRatings;
import dev.hstu.formats.seq.SeqJsonl;
import dev.hstu.model.data.UserFeatureHashing;
import dev.hstu.model.data.UserSequences;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleToIntFunction;
import java.util.function.ToIntFunction;

/**
 * The offline CLI's interaction inputs, read by the readers of {@code dev.hstu.formats} into per-user events. The
 * offline commands train or predict on a whole file, so the first line a reader rejects refuses the file, naming
 * {@code file:line} and the reason.
 */
public final class InteractionFiles {

    private InteractionFiles() {}

    /**
     * @param file a {@code seq.jsonl} or {@code predict_seq.jsonl} ({@link SeqJsonl})
     * @return the events, per user, timestamps in seconds
     * @throws IOException on a read error or a rejected line or record
     */
    public static UserSequences.Collector seqJsonl(Path file) throws IOException {
        UserSequences.Collector events = new UserSequences.Collector();
        SeqJsonl.read(file, new Refusing() {
            @Override
            public void interaction(long line, SeqJsonl.Interaction e) {
                events.add(e.user(), e.item(), e.action(), e.timestampSeconds());
            }
        });
        return events;
    }

    /**
     * The users' contextual features: per user the keys of its last non-null {@code user_feat}, in file order
     * ({@link UserFeatureHashing#keys}).
     *
     * @param file a {@code seq.jsonl} or {@code predict_seq.jsonl}
     * @return user id (as written) to its sorted keys; users without features are absent
     * @throws IOException on a read error, a rejected line or record, or a {@code user_feat} that has no keys' form
     */
    public static Map<Long, long[]> userFeatures(Path file) throws IOException {
        Map<Long, long[]> features = new HashMap<>();
        SeqJsonl.read(file, new Refusing() {
            @Override
            public void interaction(long line, SeqJsonl.Interaction e) {}

            @Override
            public void userFeatures(long line, long user, JsonNode userFeatures) throws IOException {
                try {
                    long[] keys = UserFeatureHashing.keys(userFeatures);
                    if (keys != null) {
                        features.put(user, keys);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ":" + line + ": bad user_feat: " + e.getMessage(), e);
                }
            }
        });
        return features;
    }

    /**
     * @param csv a MovieLens {@code ratings.csv} ({@link MovieLensRatings})
     * @param actions what a rating means as an action
     * @return the events, per user, timestamps in seconds
     * @throws IOException on a read error, a wrong header or a rejected line
     */
    public static UserSequences.Collector movieLens(Path csv, MovieLensActions actions) throws IOException {
        return movieLens(csv, actions::action);
    }

    /**
     * @param csv a MovieLens {@code ratings.csv} ({@link MovieLensRatings})
     * @param actions a rating's action bitmask (e.g. {@code MovieLensActionBits::action} for ranking)
     * @return the events, per user, timestamps in seconds
     * @throws IOException on a read error, a wrong header or a rejected line
     */
    public static UserSequences.Collector movieLens(Path csv, DoubleToIntFunction actions) throws IOException {
        UserSequences.Collector events = new UserSequences.Collector();
        MovieLensRatings.read(csv, new MovieLensRatings.Handler() {
            @Override
            public void rating(long line, MovieLensRatings.Rating r) {
                events.add(r.user(), r.movie(), actions.applyAsInt(r.stars()), r.timestampSeconds());
            }

            @Override
            public void reject(InputReject reject) throws IOException {
                throw reject.toException();
            }
        });
        return events;
    }

    /**
     * @param csv a MovieLens {@code movies.csv} ({@link MovieLensMovies})
     * @param property what an item side column holds of a movie (its genre bitmask, say)
     * @return movieId to its property, for an {@link ItemSideColumn.Reader}
     * @throws IOException on a read error, a wrong header, a rejected line or a movieId listed twice
     */
    public static Map<Long, Integer> movies(Path csv, ToIntFunction<MovieLensMovies.Movie> property)
            throws IOException {
        Map<Long, Integer> values = new HashMap<>();
        MovieLensMovies.read(csv, new MovieLensMovies.Handler() {
            @Override
            public void movie(long line, MovieLensMovies.Movie m) throws IOException {
                if (values.putIfAbsent(m.movie(), property.applyAsInt(m)) != null) {
                    throw new IOException(csv + ":" + line + ": movieId " + m.movie() + " is listed twice");
                }
            }

            @Override
            public void reject(InputReject reject) throws IOException {
                throw reject.toException();
            }
        });
        return values;
    }

    /** Refuses the file at its first rejected line. */
    private abstract static class Refusing implements SeqJsonl.Handler {
        @Override
        public void reject(InputReject reject) throws IOException {
            throw reject.toException();
        }
    }
}
