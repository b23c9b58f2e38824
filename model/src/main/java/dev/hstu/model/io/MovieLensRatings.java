package dev.hstu.model.io;

import dev.hstu.model.data.UserSequences;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a MovieLens {@code ratings.csv} ({@code userId,movieId,rating,timestamp}, seconds) into
 * raw per-user events. The action is the rating rounded to a whole star (0..5), so the model can
 * tell a 1-star from a 5-star interaction.
 */
public final class MovieLensRatings {

    private MovieLensRatings() {}

    /**
     * @param csv the ratings file
     * @return the events, per user
     * @throws IOException on a read error, a wrong header or a malformed line (named by line
     *     number and field)
     */
    public static UserSequences.Collector read(Path csv) throws IOException {
        UserSequences.Collector events = new UserSequences.Collector();
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("userId,movieId,rating,timestamp")) {
                throw new IOException(csv + ": expected header userId,movieId,rating,timestamp, got " + header);
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String[] f = line.split(",");
                if (f.length != 4) {
                    throw new IOException(csv + ":" + lineNo + ": expected 4 fields, got " + f.length + ": " + line);
                }
                long user = number(csv, lineNo, "userId", f[0]);
                long movie = number(csv, lineNo, "movieId", f[1]);
                double rating;
                try {
                    rating = Double.parseDouble(f[2]);
                } catch (NumberFormatException e) {
                    throw new IOException(csv + ":" + lineNo + ": rating is not a number: '" + f[2] + "'", e);
                }
                if (!(rating >= 0 && rating <= 5)) {
                    throw new IOException(csv + ":" + lineNo + ": rating must be in [0, 5], got " + f[2]);
                }
                long ts = number(csv, lineNo, "timestamp", f[3]);
                if (ts < 0) {
                    throw new IOException(csv + ":" + lineNo + ": timestamp must be >= 0 epoch seconds, got " + ts);
                }
                events.add(user, movie, (int) Math.round(rating), ts);
            }
        }
        return events;
    }

    private static long number(Path csv, int lineNo, String field, String text) throws IOException {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IOException(csv + ":" + lineNo + ": " + field + " is not an integer: '" + text + "'", e);
        }
    }
}
