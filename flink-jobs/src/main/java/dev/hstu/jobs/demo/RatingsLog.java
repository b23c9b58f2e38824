package dev.hstu.jobs.demo;

import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.movielens.MovieLensRatings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * A MovieLens-format ratings log ({@code userId,movieId,rating,timestamp} in seconds) in time order, split by the
 * leave-one-out protocol: each user's last interaction is held out as the test target, the rest is the stream.
 * Columnar arrays, since the whole log is a few MB.
 */
public final class RatingsLog {

    public final long[] users;
    public final long[] items;
    public final float[] ratings;
    public final long[] timestampsMs;
    /** Per row: true if it is its user's held-out (last) interaction. */
    public final boolean[] heldOut;

    private RatingsLog(long[] users, long[] items, float[] ratings, long[] timestampsMs, boolean[] heldOut) {
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestampsMs = timestampsMs;
        this.heldOut = heldOut;
    }

    public int size() {
        return users.length;
    }

    /**
     * Reads the CSV ({@link MovieLensRatings}: a line that is not a rating refuses the file) and orders it by time,
     * ties kept in file order.
     */
    public static RatingsLog read(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(
                    "ratings file not found: " + csv.toAbsolutePath() + " (set demo.ratingsCsv)");
        }
        Columns read = new Columns();
        try {
            MovieLensRatings.read(csv, new MovieLensRatings.Handler() {
                @Override
                public void rating(long line, MovieLensRatings.Rating rating) {
                    read.add(rating);
                }

                @Override
                public void reject(InputReject reject) {
                    throw new IllegalArgumentException(reject.toString());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        int n = read.n;
        long[] u = read.users;
        long[] it = read.items;
        float[] r = read.ratings;
        long[] ts = read.timestampsMs;
        final long[] tsF = ts;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> tsF[i]));
        long[] su = new long[n];
        long[] si = new long[n];
        float[] sr = new float[n];
        long[] st = new long[n];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            su[k] = u[i];
            si[k] = it[i];
            sr[k] = r[i];
            st[k] = ts[i];
        }
        boolean[] held = new boolean[n];
        Map<Long, Integer> lastRow = new HashMap<>();
        for (int k = 0; k < n; k++) {
            lastRow.put(su[k], k);
        }
        lastRow.values().forEach(k -> held[k] = true);
        return new RatingsLog(su, si, sr, st, held);
    }

    /**
     * Row {@code i} as an interaction event in the project's JSON format (the action as {@code actions} maps the
     * rating; the rating itself rides along as a feature field), written into {@code json}, which is cleared first
     * so one builder serves a whole replay.
     */
    public byte[] eventJson(int i, MovieLensActions actions, StringBuilder json) {
        return eventJson(i, actions, timestampsMs[i], json);
    }

    /** Like {@link #eventJson(int, MovieLensActions, StringBuilder)} stamped with {@code timestampMs} (a live replay). */
    public byte[] eventJson(int i, MovieLensActions actions, long timestampMs, StringBuilder json) {
        json.setLength(0);
        json.append("{\"user_id\":")
                .append(users[i])
                .append(",\"item_id\":")
                .append(items[i])
                .append(",\"action\":")
                .append(actions.action(ratings[i]))
                .append(",\"ts\":")
                .append(timestampMs)
                .append(",\"rating\":")
                .append(ratings[i])
                .append('}');
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The file's ratings in file order, in arrays that grow. */
    private static final class Columns {
        int n;
        long[] users = new long[1 << 17];
        long[] items = new long[1 << 17];
        float[] ratings = new float[1 << 17];
        long[] timestampsMs = new long[1 << 17];

        void add(MovieLensRatings.Rating rating) {
            if (n == users.length) {
                users = Arrays.copyOf(users, n * 2);
                items = Arrays.copyOf(items, n * 2);
                ratings = Arrays.copyOf(ratings, n * 2);
                timestampsMs = Arrays.copyOf(timestampsMs, n * 2);
            }
            users[n] = rating.user();
            items[n] = rating.movie();
            ratings[n] = (float) rating.stars();
            timestampsMs[n] = rating.timestampSeconds() * 1000L;
            n++;
        }
    }

    /** The held-out item of each user. */
    public Map<Long, Long> heldOutItems() {
        Map<Long, Long> out = new HashMap<>();
        for (int k = 0; k < size(); k++) {
            if (heldOut[k]) {
                out.put(users[k], items[k]);
            }
        }
        return out;
    }

    /** The timestamp of each user's last streamed (not held-out) interaction. */
    public Map<Long, Long> lastStreamedTimestamps() {
        Map<Long, Long> out = new HashMap<>();
        for (int k = 0; k < size(); k++) {
            if (!heldOut[k]) {
                out.put(users[k], timestampsMs[k]);
            }
        }
        return out;
    }
}
