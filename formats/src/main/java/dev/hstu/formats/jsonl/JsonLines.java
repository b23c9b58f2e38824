package dev.hstu.formats.jsonl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.Utf8Lines;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a JSON Lines file object by object, naming the file and line of anything malformed. */
public final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    /** Receives each non-blank line's JSON value. */
    @FunctionalInterface
    public interface ObjectHandler {
        /**
         * @param where {@code file:line}, for messages
         * @param object the line's JSON value
         * @throws IOException to refuse the file, naming {@code where}
         */
        void accept(String where, JsonNode object) throws IOException;
    }

    /**
     * @param file the file
     * @param handler receives every non-blank line's JSON value, in file order
     * @throws IOException on a read error, malformed JSON, or the handler's refusal
     */
    public static void forEach(Path file, ObjectHandler handler) throws IOException {
        try (Utf8Lines in = Utf8Lines.open(file)) {
            for (Utf8Lines.Line read = in.next(); read != null; read = in.next()) {
                String line = read.text();
                String where = file + ":" + read.number();
                if (!read.utf8()) {
                    throw new IOException(where + ": the line is not UTF-8");
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IOException(where + ": malformed JSON: " + e.getMessage(), e);
                }
                handler.accept(where, node);
            }
        }
    }

    /**
     * @param file the file
     * @param expected what a line should hold, for the message when one is not a JSON object
     * @param handler receives every object, in file order
     * @throws IOException on a read error, a line that is not a JSON object, or the handler's refusal
     */
    public static void forEachObject(Path file, String expected, ObjectHandler handler) throws IOException {
        forEach(file, (where, node) -> {
            if (node == null || !node.isObject()) {
                throw new IOException(where + ": expected " + expected);
            }
            handler.accept(where, node);
        });
    }

    /**
     * @param where {@code file:line}, for the message
     * @param field the field's name
     * @param value its value: an integer or a string of one
     * @return the unsigned 64-bit id
     * @throws IOException naming the field and value when it is anything else
     */
    public static long unsignedId(String where, String field, JsonNode value) throws IOException {
        if (value != null && (value.isIntegralNumber() || value.isTextual())) {
            try {
                return Long.parseUnsignedLong(
                        value.isTextual()
                                ? value.textValue().strip()
                                : value.bigIntegerValue().toString());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IOException(where + ": " + field + " must be an unsigned 64-bit id, got " + value);
    }
}
