package dev.hstu.formats.recbole;

import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.Utf8Lines;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Owns RecBole's atomic interaction file ({@code .inter}): a tab-separated header of {@code name:type} fields, types
 * {@code token}, {@code token_seq}, {@code float} or {@code float_seq}, then one interaction a line, the fields
 * tab-separated in the header's order. The reader needs {@value #USER}{@code :token} and {@value #ITEM}{@code
 * :token}, the names RecBole gives the user and item fields by default, and reads {@value #RATING}{@code :float} and
 * {@value #TIMESTAMP}{@code :float} (seconds) when the header has them; other fields are skipped. User and item are
 * tokens, strings as written: mapping them to ids is the caller's ({@link dev.hstu.formats.io.TokenIds}).
 *
 * <p>A header that breaks these rules refuses the whole file with an {@link
 * dev.hstu.formats.io.InvalidInputException} naming line 1. A row that is not UTF-8, has another number of fields
 * than the header, an empty user or item token, a rating that is not a finite number or a timestamp that is not a
 * number of seconds {@code >= 0} reaches the handler as an {@link InputReject} naming {@code file:line} and the
 * reason, and reading goes on; blank lines are skipped.
 */
public final class RecBoleInter {
    /** The user field's name. */
    public static final String USER = "user_id";
    /** The item field's name. */
    public static final String ITEM = "item_id";
    /** The rating field's name. */
    public static final String RATING = "rating";
    /** The time field's name. */
    public static final String TIMESTAMP = "timestamp";

    private static final Set<String> TYPES = Set.of("token", "token_seq", "float", "float_seq");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final int MAX_SHOWN = 60;

    private RecBoleInter() {}

    /**
     * The columns the reader reads.
     *
     * @param fields the header's fields, {@code name:type}, in order
     * @param user the user field's column
     * @param item the item field's column
     * @param rating the rating field's column, -1 without one
     * @param timestamp the time field's column, -1 without one
     */
    public record Header(List<String> fields, int user, int item, int rating, int timestamp) {
        /** @return whether the rows carry timestamps */
        public boolean timed() {
            return timestamp >= 0;
        }
    }

    /**
     * One interaction.
     *
     * @param user the user's token
     * @param item the item's token
     * @param rating its rating; NaN when the file has no rating field
     * @param timestampSeconds its time in seconds since 1970; NaN when the file has no time field
     */
    public record Row(String user, String item, double rating, double timestampSeconds) {}

    /** Receives what the file holds, in file order. */
    public interface Handler {
        /**
         * The header, before any row.
         *
         * @param header the columns read
         * @throws IOException to stop reading
         */
        default void header(Header header) throws IOException {}

        /**
         * @param line 1-based line
         * @param row the line's interaction
         * @throws IOException to stop reading
         */
        void row(long line, Row row) throws IOException;

        /**
         * @param reject a row that breaks a rule of the format
         * @throws IOException to stop reading (e.g. {@code throw reject.toException()})
         */
        void reject(InputReject reject) throws IOException;
    }

    /**
     * @param file the {@code .inter} file
     * @param handler receives the header, then every row and rejected line in file order
     * @throws IOException when the file cannot be read, its header breaks the rules, or the handler stops
     */
    public static void read(Path file, Handler handler) throws IOException {
        try (Utf8Lines in = Utf8Lines.open(file)) {
            Utf8Lines.Line first = in.next();
            Header header;
            try {
                header = header(first);
            } catch (IllegalArgumentException e) {
                throw InputReject.of(file, 1, e.getMessage(), first == null ? "" : first.text())
                        .toException();
            }
            handler.header(header);
            for (Utf8Lines.Line line = in.next(); line != null; line = in.next()) {
                if (!line.utf8()) {
                    handler.reject(InputReject.of(file, line.number(), "the line is not UTF-8", line.text()));
                    continue;
                }
                if (line.text().isBlank()) {
                    continue;
                }
                Row row;
                try {
                    row = row(header, line.text());
                } catch (IllegalArgumentException e) {
                    handler.reject(InputReject.of(file, line.number(), e.getMessage(), line.text()));
                    continue;
                }
                handler.row(line.number(), row);
            }
        }
    }

    /**
     * Writes the header {@code user_id:token item_id:token [rating:float] [timestamp:float]} and one row per
     * interaction, through {@link AtomicFiles}.
     *
     * @param file the file
     * @param rating whether to write the rating field
     * @param timestamp whether to write the time field
     * @param rows the interactions
     * @return the rows written
     * @throws IOException on failure
     * @throws IllegalArgumentException for a token that is empty or holds a tab or line break, or a rating or
     *     timestamp written that is not finite
     */
    public static long write(Path file, boolean rating, boolean timestamp, Iterable<Row> rows) throws IOException {
        long[] written = {0};
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.append(USER).append(":token\t").append(ITEM).append(":token");
            if (rating) {
                w.append('\t').append(RATING).append(":float");
            }
            if (timestamp) {
                w.append('\t').append(TIMESTAMP).append(":float");
            }
            w.append('\n');
            for (Row r : rows) {
                w.append(token(r.user())).append('\t').append(token(r.item()));
                if (rating) {
                    w.append('\t').append(number(r.rating()));
                }
                if (timestamp) {
                    w.append('\t').append(number(r.timestampSeconds()));
                }
                w.append('\n');
                written[0]++;
            }
            w.flush();
        });
        return written[0];
    }

    private static Header header(Utf8Lines.Line first) {
        if (first == null) {
            throw new IllegalArgumentException("an empty file: the first line must be the header of name:type fields");
        }
        if (!first.utf8()) {
            throw new IllegalArgumentException("the header is not UTF-8");
        }
        String[] fields = first.text().split("\t", -1);
        Set<String> names = new HashSet<>();
        int user = -1;
        int item = -1;
        int rating = -1;
        int timestamp = -1;
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i].strip();
            int colon = field.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "header field " + (i + 1) + " '" + shown(field) + "' is not name:type");
            }
            String name = field.substring(0, colon);
            String type = field.substring(colon + 1);
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("header field " + (i + 1) + " '" + shown(field) + "' has type '"
                        + shown(type) + "'; RecBole's types are token, token_seq, float, float_seq");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("header field '" + shown(name) + "' is named twice");
            }
            switch (name) {
                case USER -> user = column(i, field, type, "token");
                case ITEM -> item = column(i, field, type, "token");
                case RATING -> rating = column(i, field, type, "float");
                case TIMESTAMP -> timestamp = column(i, field, type, "float");
                default -> {}
            }
        }
        if (user < 0 || item < 0) {
            throw new IllegalArgumentException(
                    "the header needs " + USER + ":token and " + ITEM + ":token, got '" + shown(first.text()) + "'");
        }
        return new Header(List.of(fields), user, item, rating, timestamp);
    }

    private static int column(int index, String field, String type, String expected) {
        if (!type.equals(expected)) {
            throw new IllegalArgumentException(
                    "header field '" + shown(field) + "' must have type " + expected + ", got " + type);
        }
        return index;
    }

    private static Row row(Header header, String line) {
        String[] f = line.split("\t", -1);
        if (f.length != header.fields().size()) {
            throw new IllegalArgumentException(
                    "expected " + header.fields().size() + " tab-separated fields as the header, got " + f.length);
        }
        String user = f[header.user()];
        String item = f[header.item()];
        if (user.isBlank()) {
            throw new IllegalArgumentException(USER + " is empty");
        }
        if (item.isBlank()) {
            throw new IllegalArgumentException(ITEM + " is empty");
        }
        double rating = Double.NaN;
        if (header.rating() >= 0) {
            rating = decimal(f[header.rating()], RATING);
        }
        double seconds = Double.NaN;
        if (header.timestamp() >= 0) {
            seconds = decimal(f[header.timestamp()], TIMESTAMP);
            if (!(seconds >= 0 && seconds <= Long.MAX_VALUE / 1000)) {
                throw new IllegalArgumentException(TIMESTAMP + "=" + f[header.timestamp()].strip()
                        + " is out of range (seconds since 1970, >= 0)");
            }
        }
        return new Row(user, item, rating, seconds);
    }

    private static double decimal(String text, String field) {
        String t = text.strip();
        if (!DECIMAL.matcher(t).matches()) {
            throw new IllegalArgumentException(field + "='" + shown(text) + "' is not a decimal number");
        }
        double value = Double.parseDouble(t);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + "=" + shown(t) + " is not a finite number");
        }
        return value;
    }

    private static String token(String token) {
        if (token.isEmpty() || token.indexOf('\t') >= 0 || token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(
                    "a token must be non-empty without tabs or line breaks: '" + token + "'");
        }
        return token;
    }

    private static String number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a rating or timestamp must be finite to be written, got " + value);
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static String shown(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
}
