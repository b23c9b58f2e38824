package dev.hstu.formats.io;

import java.nio.file.Path;

/**
 * A line (or one record of a line) of an input file that a reader of this module could not turn into data: the
 * typed rejection every reader hands to its caller instead of dropping the line or guessing. The caller decides
 * whether it stops (see {@link #toException}) or goes on (a dead letter, a reject log).
 *
 * @param file the file read
 * @param line 1-based line number in the file
 * @param reason what is wrong, naming the field and value (and the record of a seq.jsonl line)
 * @param excerpt the start of the offending line (at most 200 characters)
 */
public record InputReject(Path file, long line, String reason, String excerpt) {
    private static final int MAX_EXCERPT = 200;

    /** Reject with the excerpt cut to 200 characters. */
    public static InputReject of(Path file, long line, String reason, String rawLine) {
        String excerpt = rawLine.length() <= MAX_EXCERPT ? rawLine : rawLine.substring(0, MAX_EXCERPT) + "...";
        return new InputReject(file, line, reason, excerpt);
    }

    /** @return {@code file:line}, as messages name a place */
    public String where() {
        return file + ":" + line;
    }

    /** @return the rejection as the error of a caller that accepts no bad line */
    public InvalidInputException toException() {
        return new InvalidInputException(this);
    }

    @Override
    public String toString() {
        return where() + ": " + reason;
    }
}
