package dev.hstu.formats.seqtext;

import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.Utf8Lines;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Owns the plain sequence text file of the S3-Rec, ICLRec and SASRec releases (their {@code Beauty.txt}): a line is
 * a user id and then item ids, {@code user item item ...}, separated by spaces or tabs, items oldest first; there are
 * no timestamps and no ratings. SASRec's own {@code data/*.txt} write one {@code user item} pair a line instead; both
 * are this format, read with one rule: <em>a line's items follow the items of that user's earlier lines</em>. So a
 * file of one line per user and a file of one pair per line read the same, without guessing the layout.
 *
 * <p>Ids are unsigned 64-bit decimal integers. A line that is not UTF-8, has a field that is not such an id, or names
 * a user without an item reaches the handler as an {@link InputReject} naming {@code file:line} and the reason, and
 * reading goes on; blank lines are skipped.
 */
public final class SequenceText {
    private static final Pattern SEPARATOR = Pattern.compile("[ \t]+");

    private SequenceText() {}

    /** Receives what the file holds, in file order. */
    public interface Handler {
        /**
         * @param line 1-based line
         * @param user the line's user
         * @param items its items on this line, in file order (oldest first)
         * @throws IOException to stop reading
         */
        void items(long line, long user, long[] items) throws IOException;

        /**
         * @param reject a line that breaks a rule of the format
         * @throws IOException to stop reading (e.g. {@code throw reject.toException()})
         */
        void reject(InputReject reject) throws IOException;
    }

    /** One user's items, as a line of the file. */
    public record Line(long user, long[] items) {}

    /**
     * @param file the file
     * @param handler receives every line's items and every rejected line, in file order
     * @throws IOException when the file cannot be read, or the handler stops
     */
    public static void read(Path file, Handler handler) throws IOException {
        try (Utf8Lines in = Utf8Lines.open(file)) {
            for (Utf8Lines.Line line = in.next(); line != null; line = in.next()) {
                if (!line.utf8()) {
                    handler.reject(InputReject.of(file, line.number(), "the line is not UTF-8", line.text()));
                    continue;
                }
                String text = line.text().strip();
                if (text.isEmpty()) {
                    continue;
                }
                Line parsed;
                try {
                    parsed = parse(text);
                } catch (IllegalArgumentException e) {
                    handler.reject(InputReject.of(file, line.number(), e.getMessage(), line.text()));
                    continue;
                }
                handler.items(line.number(), parsed.user(), parsed.items());
            }
        }
    }

    /**
     * Writes one line per entry, {@code user item item ...}, through {@link AtomicFiles}.
     *
     * @param file the file
     * @param lines each line's user and items
     * @return the items written
     * @throws IOException on failure
     * @throws IllegalArgumentException for a line without items
     */
    public static long write(Path file, Iterable<Line> lines) throws IOException {
        long[] written = {0};
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            StringBuilder text = new StringBuilder(1024);
            for (Line line : lines) {
                if (line.items().length == 0) {
                    throw new IllegalArgumentException(
                            "a sequence text line needs an item: user " + Long.toUnsignedString(line.user()));
                }
                text.setLength(0);
                text.append(Long.toUnsignedString(line.user()));
                for (long item : line.items()) {
                    text.append(' ').append(Long.toUnsignedString(item));
                }
                w.append(text).append('\n');
                written[0] += line.items().length;
            }
            w.flush();
        });
        return written[0];
    }

    private static Line parse(String text) {
        String[] fields = SEPARATOR.split(text);
        if (fields.length < 2) {
            throw new IllegalArgumentException("a line must be a user id and at least one item id, got one field");
        }
        long user = id(fields[0], "user id");
        long[] items = new long[fields.length - 1];
        for (int i = 1; i < fields.length; i++) {
            items[i - 1] = id(fields[i], "item id (field " + (i + 1) + ")");
        }
        return new Line(user, items);
    }

    private static long id(String field, String what) {
        try {
            return Long.parseUnsignedLong(field);
        } catch (NumberFormatException e) {
            String shown = field.length() <= 40 ? field : field.substring(0, 40) + "...";
            throw new IllegalArgumentException(what + " '" + shown + "' is not an unsigned 64-bit integer");
        }
    }
}
