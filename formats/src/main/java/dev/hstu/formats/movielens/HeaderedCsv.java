package dev.hstu.formats.movielens;

import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.Utf8Lines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The line loop the MovieLens CSV readers share: the header must be the expected one (else the whole file is refused
 * with an {@link dev.hstu.formats.io.InvalidInputException} naming line 1), blank lines are skipped, and a line that
 * is not UTF-8 or that the parser refuses (with an {@link IllegalArgumentException}) is a reject naming the file,
 * line and reason.
 */
final class HeaderedCsv {

    /** Receives one parsed line. */
    interface Record<T> {
        void accept(long line, T value) throws IOException;
    }

    /** Receives one refused line. */
    interface Reject {
        void accept(InputReject reject) throws IOException;
    }

    private HeaderedCsv() {}

    static <T> void read(Path file, String header, Function<String, T> parse, Record<T> records, Reject rejects)
            throws IOException {
        try (Utf8Lines in = Utf8Lines.open(file)) {
            Utf8Lines.Line first = in.next();
            if (first == null || !first.utf8() || !first.text().strip().equals(header)) {
                String got = first == null ? "an empty file" : "'" + excerpt(first.text()) + "'";
                throw InputReject.of(file, 1, "first line must be '" + header + "', got " + got, "")
                        .toException();
            }
            for (Utf8Lines.Line line = in.next(); line != null; line = in.next()) {
                if (!line.utf8()) {
                    rejects.accept(InputReject.of(file, line.number(), "the line is not UTF-8", line.text()));
                    continue;
                }
                if (line.text().isBlank()) {
                    continue;
                }
                T value;
                try {
                    value = parse.apply(line.text());
                } catch (IllegalArgumentException e) {
                    rejects.accept(InputReject.of(file, line.number(), e.getMessage(), line.text()));
                    continue;
                }
                records.accept(line.number(), value);
            }
        }
    }

    private static String excerpt(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
