package dev.hstu.formats.movielens;

import dev.hstu.formats.io.InputReject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The line loop the MovieLens CSV readers share: the header must be the expected one, blank lines are skipped, and a
 * line the parser refuses (with an {@link IllegalArgumentException}) is a reject naming the file, line and reason.
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
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null || !first.strip().equals(header)) {
                throw new IOException(file + ": first line must be '" + header + "', got '" + first + "'");
            }
            long lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                T value;
                try {
                    value = parse.apply(line);
                } catch (IllegalArgumentException e) {
                    rejects.accept(InputReject.of(file, lineNo, e.getMessage(), line));
                    continue;
                }
                records.accept(lineNo, value);
            }
        }
    }
}
