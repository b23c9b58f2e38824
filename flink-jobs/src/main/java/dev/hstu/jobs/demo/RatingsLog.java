package dev.hstu.jobs.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    /** Reads the CSV (with its header line) and orders it by time, ties kept in file order. */
    public static RatingsLog read(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(
                    "ratings file not found: " + csv.toAbsolutePath() + " (set demo.ratingsCsv)");
        }
        int n = 0;
        long[] u = new long[1 << 17];
        long[] it = new long[1 << 17];
        float[] r = new float[1 << 17];
        long[] ts = new long[1 << 17];
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("userId,movieId")) {
                throw new IllegalArgumentException(csv + " is not a MovieLens ratings file: header is " + header);
            }
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 4) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": expected 4 fields, got " + f.length);
                }
                if (n == u.length) {
                    u = Arrays.copyOf(u, n * 2);
                    it = Arrays.copyOf(it, n * 2);
                    r = Arrays.copyOf(r, n * 2);
                    ts = Arrays.copyOf(ts, n * 2);
                }
                try {
                    u[n] = Long.parseLong(f[0]);
                    it[n] = Long.parseLong(f[1]);
                    r[n] = Float.parseFloat(f[2]);
                    ts[n] = Long.parseLong(f[3]) * 1000L;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": " + e.getMessage());
                }
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
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
     * Row {@code i} as an interaction event in the project's JSON format (a rating at or above {@code clickRating}
     * is a click, action 1; the rating itself rides along as a feature field), written into {@code json}, which is
     * cleared first so one builder serves a whole replay.
     */
    public byte[] eventJson(int i, double clickRating, StringBuilder json) {
        return eventJson(i, clickRating, timestampsMs[i], json);
    }

    /** Like {@link #eventJson(int, double, StringBuilder)} stamped with {@code timestampMs} (a live replay). */
    public byte[] eventJson(int i, double clickRating, long timestampMs, StringBuilder json) {
        json.setLength(0);
        json.append("{\"user_id\":")
                .append(users[i])
                .append(",\"item_id\":")
                .append(items[i])
                .append(",\"action\":")
                .append(ratings[i] >= clickRating ? 1 : 0)
                .append(",\"ts\":")
                .append(timestampMs)
                .append(",\"rating\":")
                .append(ratings[i])
                .append('}');
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
