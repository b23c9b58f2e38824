package dev.hstu.ctr.io;

/**
 * A row of an event log that could not be turned into an event.
 *
 * @param line 1-based line number in the file
 * @param reason what is wrong, naming the field and value
 * @param excerpt the start of the offending line (at most 200 characters)
 */
public record InputReject(long line, String reason, String excerpt) {
    private static final int MAX_EXCERPT = 200;

    /** Reject with the excerpt cut to 200 characters. */
    public static InputReject of(long line, String reason, String rawLine) {
        String excerpt = rawLine.length() <= MAX_EXCERPT ? rawLine : rawLine.substring(0, MAX_EXCERPT) + "...";
        return new InputReject(line, reason, excerpt);
    }

    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}
