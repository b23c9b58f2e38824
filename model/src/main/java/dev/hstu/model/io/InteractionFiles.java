package dev.hstu.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.TokenIds;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.movielens.MovieLensMovies;
import dev.hstu.formats.movielens.MovieLensRatings;
import dev.hstu.formats.recbole.RecBoleInter;
import dev.hstu.formats.seq.SeqJsonl;
import dev.hstu.formats.seqtext.SequenceText;
import dev.hstu.model.data.UserFeatureHashing;
import dev.hstu.model.data.UserSequences;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleToIntFunction;
import java.util.function.ToIntFunction;

/**
 * The offline CLI's interaction inputs, read by the readers of {@code dev.hstu.formats} into per-user events. The
 * offline commands train or predict on a whole file, so the first line a reader rejects refuses the file, naming
 * {@code file:line} and the reason.
 *
 * <p>The formats without ratings or actions (sequence text, RecBole {@code .inter}) give every event the action
 * {@value #INTERACTED}; those without times give each user's events the ordinal times {@code 0, 1, 2, ...} in file
 * order ({@link InteractionLog#timed}).
 */
public final class InteractionFiles {

    /** The action of an event whose file says only that it happened. */
    public static final int INTERACTED = 1;

    private InteractionFiles() {}

    /**
     * @param file an interaction file
     * @param format its format
     * @param ratingActions what a MovieLens rating means as an action (ignored by the other formats)
     * @return its events, per user
     * @throws IOException on a read error, a refused header or a rejected line
     */
    public static InteractionLog read(Path file, InteractionFormat format, DoubleToIntFunction ratingActions)
            throws IOException {
        return switch (format) {
            case SEQ_JSONL -> new InteractionLog(file, format, seqJsonl(file), true);
            case MOVIELENS -> new InteractionLog(file, format, movieLens(file, ratingActions), true);
            case SEQUENCE_TEXT -> new InteractionLog(file, format, sequenceText(file), false);
            case RECBOLE_INTER -> recBoleInter(file);
        };
    }

    /**
     * @param file a sequence text file ({@link SequenceText}), ids as written
     * @return the events, per user, each user's at the ordinal times {@code 0, 1, 2, ...} in file order
     * @throws IOException on a read error or a rejected line
     */
    public static UserSequences.Collector sequenceText(Path file) throws IOException {
        UserSequences.Collector events = new UserSequences.Collector();
        Map<Long, long[]> next = new HashMap<>();
        SequenceText.read(file, new SequenceText.Handler() {
            @Override
            public void items(long line, long user, long[] items) {
                long[] ordinal = next.computeIfAbsent(user, u -> new long[1]);
                for (long item : items) {
                    events.add(user, item, INTERACTED, ordinal[0]++);
                }
            }

            @Override
            public void reject(InputReject reject) throws IOException {
                throw reject.toException();
            }
        });
        return events;
    }

    /**
     * @param file a RecBole {@code .inter} file ({@link RecBoleInter}); user and item tokens become the ids {@code
     *     1, 2, ...} in the order first seen ({@link TokenIds}), so the same file always gives the same ids
     * @return the events, per user: ordered by timestamp (ties in file order) and at its whole seconds when the file
     *     has a {@code timestamp} field, else in file order at the ordinal times {@code 0, 1, 2, ...}
     * @throws IOException on a read error, a refused header or a rejected line
     */
    public static InteractionLog recBoleInter(Path file) throws IOException {
        record Event(long item, double seconds) {}
        TokenIds users = new TokenIds();
        TokenIds items = new TokenIds();
        Map<Long, List<Event>> byUser = new LinkedHashMap<>();
        boolean[] timed = {false};
        RecBoleInter.read(file, new RecBoleInter.Handler() {
            @Override
            public void header(RecBoleInter.Header header) {
                timed[0] = header.timed();
            }

            @Override
            public void row(long line, RecBoleInter.Row row) {
                byUser.computeIfAbsent(users.id(row.user()), u -> new ArrayList<>())
                        .add(new Event(items.id(row.item()), row.timestampSeconds()));
            }

            @Override
            public void reject(InputReject reject) throws IOException {
                throw reject.toException();
            }
        });
        UserSequences.Collector events = new UserSequences.Collector();
        for (Map.Entry<Long, List<Event>> user : byUser.entrySet()) {
            List<Event> ordered = user.getValue();
            if (timed[0]) {
                // fractions of a second order the events before the times become whole seconds (a stable sort)
                ordered.sort(Comparator.comparingDouble(Event::seconds));
            }
            for (int i = 0; i < ordered.size(); i++) {
                Event e = ordered.get(i);
                events.add(user.getKey(), e.item(), INTERACTED, timed[0] ? (long) Math.floor(e.seconds()) : i);
            }
        }
        return new InteractionLog(file, InteractionFormat.RECBOLE_INTER, events, timed[0]);
    }

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
