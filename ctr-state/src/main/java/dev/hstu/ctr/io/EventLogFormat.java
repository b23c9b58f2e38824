package dev.hstu.ctr.io;

import java.nio.file.Path;
import java.util.Locale;

/** The event log formats the precompute reads ({@link EventLogs}). */
public enum EventLogFormat {
    /** MovieLens ratings.csv: {@code userId,movieId,rating,timestamp} (seconds), with header. */
    CSV,
    /** Seed seq.jsonl: one user per line, a JSON list of records. */
    SEQ_JSONL;

    /** Format from the file name: {@code .csv} is CSV, {@code .jsonl}/{@code .json} is seq.jsonl. */
    public static EventLogFormat detect(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            return SEQ_JSONL;
        }
        throw new IllegalArgumentException(
                "cannot tell the format of '" + file + "' from its name; pass --format csv|seq");
    }
}
