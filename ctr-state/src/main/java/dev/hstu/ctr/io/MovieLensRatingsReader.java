package dev.hstu.ctr.io;

import dev.hstu.ctr.CtrEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads MovieLens {@code ratings.csv} ({@code userId,movieId,rating,timestamp}, timestamp in
 * seconds, header required). A rating at or above the click threshold (4.0 by convention) is
 * action 1 (click), below it action 0 (exposure only).
 */
public final class MovieLensRatingsReader {
    /** The header the file must start with. */
    public static final String HEADER = "userId,movieId,rating,timestamp";
    /** The project's convention: a rating of 4.0 or more counts as a click. */
    public static final double DEFAULT_CLICK_RATING = 4.0;

    private final double clickRating;

    /** Reader that turns ratings >= {@code clickRating} into clicks. */
    public MovieLensRatingsReader(double clickRating) {
        if (!Double.isFinite(clickRating)) {
            throw new IllegalArgumentException("click rating threshold " + clickRating + " must be finite");
        }
        this.clickRating = clickRating;
    }

    /**
     * Reads the file, passing events and rejected rows to the sink in file order.
     *
     * @throws IOException when the file cannot be read or does not start with the header
     */
    public void read(Path file, EventLogSink sink) throws IOException {
        try (BufferedReader in = EventLogFormat.open(file)) {
            String header = in.readLine();
            if (header == null || !header.strip().equals(HEADER)) {
                throw new IOException(file + ": first line must be '" + HEADER + "', got '" + header + "'");
            }
            long lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                parse(lineNo, line, sink);
            }
        }
    }

    private void parse(long lineNo, String line, EventLogSink sink) {
        String[] f = line.split(",", -1);
        if (f.length != 4) {
            sink.reject(InputReject.of(lineNo, "expected 4 fields, got " + f.length, line));
            return;
        }
        long user;
        long item;
        double rating;
        long seconds;
        try {
            user = Long.parseUnsignedLong(f[0].strip());
        } catch (NumberFormatException e) {
            sink.reject(InputReject.of(lineNo, "userId='" + f[0] + "' is not an unsigned integer", line));
            return;
        }
        try {
            item = Long.parseUnsignedLong(f[1].strip());
        } catch (NumberFormatException e) {
            sink.reject(InputReject.of(lineNo, "movieId='" + f[1] + "' is not an unsigned integer", line));
            return;
        }
        try {
            rating = Double.parseDouble(f[2].strip());
        } catch (NumberFormatException e) {
            sink.reject(InputReject.of(lineNo, "rating='" + f[2] + "' is not a number", line));
            return;
        }
        if (!Double.isFinite(rating) || rating < 0) {
            sink.reject(InputReject.of(lineNo, "rating=" + f[2].strip() + " must be a finite number >= 0", line));
            return;
        }
        try {
            seconds = Long.parseLong(f[3].strip());
        } catch (NumberFormatException e) {
            sink.reject(InputReject.of(lineNo, "timestamp='" + f[3] + "' is not an integer", line));
            return;
        }
        if (seconds < 0 || seconds > Long.MAX_VALUE / 1000) {
            sink.reject(InputReject.of(
                    lineNo, "timestamp=" + seconds + " is out of range (seconds since 1970, >= 0)", line));
            return;
        }
        sink.event(lineNo, new CtrEvent(user, item, rating >= clickRating ? 1 : 0, seconds * 1000));
    }
}
