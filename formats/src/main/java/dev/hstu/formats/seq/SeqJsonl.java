package dev.hstu.formats.seq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.Utf8Lines;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Owns the seed's {@code seq.jsonl} (and {@code predict_seq.jsonl}): one user per line, a JSON list of records
 * {@code [user_id | null, item_id | null, user_feat | null, item_feat | null, action_type, timestamp?]}, timestamps
 * in seconds. The one reader of the format, with one set of rules:
 *
 * <ul>
 *   <li>a record with a null item id is a user-profile row: no interaction, so it needs no timestamp;
 *   <li>a record with a null user id takes the line's user, the first non-null user id of the line; a record naming
 *       another user is refused (a line is one user's history);
 *   <li>ids are JSON integers or decimal strings of unsigned 64-bit values;
 *   <li>the action type is an action bitmask, an integer {@code >= 0};
 *   <li>an interaction without a timestamp is refused: every reader downstream needs its time (CTR decay and the as-of
 *       time, the replay's event-time order, the model's time order and time buckets), and a guessed one would be
 *       wrong without a trace;
 *   <li>a {@code user_feat} is an object or null;
 *   <li>a line is UTF-8 JSON.
 * </ul>
 *
 * Nothing that breaks a rule is dropped or repaired: each bad line, or bad record of a line, reaches the handler as
 * an {@link InputReject} naming {@code file:line}, the record and the reason, and reading goes on.
 *
 * <p>The writer ({@link #write}) writes interactions as records {@code [user_id, item_id, null, null, action,
 * timestamp]}, one line per user.
 */
public final class SeqJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USER = 0;
    private static final int ITEM = 1;
    private static final int USER_FEAT = 2;
    private static final int ACTION = 4;
    private static final int TIMESTAMP = 5;

    private SeqJsonl() {}

    /**
     * One interaction record.
     *
     * @param user the user id
     * @param item the item id
     * @param action the action bitmask
     * @param timestampSeconds seconds since 1970
     */
    public record Interaction(long user, long item, int action, long timestampSeconds) {}

    /** Receives what the file holds, in file order. */
    public interface Handler {
        /**
         * @param line 1-based line
         * @param interaction an interaction record
         * @throws IOException to stop reading
         */
        void interaction(long line, Interaction interaction) throws IOException;

        /**
         * @param reject a line, or a record of a line, that breaks a rule of the format
         * @throws IOException to stop reading (e.g. {@code throw reject.toException()})
         */
        void reject(InputReject reject) throws IOException;

        /** A user-profile row (no item id): not an interaction, counted only. */
        default void profileRow(long line) {}

        /**
         * A record's non-null {@code user_feat} object (on a profile row or an interaction), before that record's
         * interaction; never for a refused record.
         *
         * @param line 1-based line
         * @param user the record's user
         * @param userFeatures the object as written, e.g. {@code {"103": 5, "106": [1, 2]}}
         * @throws IOException to stop reading
         */
        default void userFeatures(long line, long user, JsonNode userFeatures) throws IOException {}
    }

    /**
     * @param file the file
     * @param handler receives interactions, profile rows, user features and rejects in file order
     * @throws IOException when the file cannot be read, or the handler stops
     */
    public static void read(Path file, Handler handler) throws IOException {
        try (Utf8Lines in = Utf8Lines.open(file)) {
            for (Utf8Lines.Line line = in.next(); line != null; line = in.next()) {
                if (!line.utf8()) {
                    handler.reject(InputReject.of(file, line.number(), "the line is not UTF-8", line.text()));
                } else if (!line.text().isBlank()) {
                    readLine(file, line.number(), line.text(), handler);
                }
            }
        }
    }

    /**
     * Writes one line per user, in the given order, through {@link AtomicFiles}.
     *
     * @param file the file
     * @param users each user's interactions, in the order they go on the line; all of one list must have one user
     * @return the interactions written
     * @throws IOException on failure
     * @throws IllegalArgumentException for an empty line or a line of two users
     */
    public static long write(Path file, Iterable<List<Interaction>> users) throws IOException {
        long[] written = {0};
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            StringBuilder line = new StringBuilder(4096);
            for (List<Interaction> user : users) {
                if (user.isEmpty()) {
                    throw new IllegalArgumentException("a seq.jsonl line needs at least one record");
                }
                long userId = user.get(0).user();
                line.setLength(0);
                line.append('[');
                for (Interaction e : user) {
                    if (e.user() != userId) {
                        throw new IllegalArgumentException("one seq.jsonl line holds one user: " + e
                                + " on the line of " + Long.toUnsignedString(userId));
                    }
                    line.append(line.length() == 1 ? "" : ",")
                            .append('[')
                            .append(Long.toUnsignedString(e.user()))
                            .append(',')
                            .append(Long.toUnsignedString(e.item()))
                            .append(",null,null,")
                            .append(e.action())
                            .append(',')
                            .append(e.timestampSeconds())
                            .append(']');
                    written[0]++;
                }
                w.append(line).append("]\n");
            }
            w.flush();
        });
        return written[0];
    }

    private static void readLine(Path file, long lineNo, String line, Handler handler) throws IOException {
        JsonNode records;
        try {
            records = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            handler.reject(InputReject.of(file, lineNo, "malformed JSON: " + e.getOriginalMessage(), line));
            return;
        }
        if (!records.isArray()) {
            handler.reject(InputReject.of(
                    file, lineNo, "a line must be a JSON list of records, got " + records.getNodeType(), line));
            return;
        }
        Long lineUser = null;
        for (JsonNode r : records) {
            if (r.isArray() && r.size() > 0 && !r.get(USER).isNull()) {
                try {
                    lineUser = id(r.get(USER), "user_id");
                } catch (IllegalArgumentException e) {
                    handler.reject(InputReject.of(file, lineNo, e.getMessage(), line));
                    return;
                }
                break;
            }
        }
        for (int i = 0; i < records.size(); i++) {
            Record record;
            try {
                record = record(records.get(i), lineUser);
            } catch (IllegalArgumentException e) {
                handler.reject(InputReject.of(file, lineNo, "record " + i + ": " + e.getMessage(), line));
                continue;
            }
            if (record.userFeatures() != null) {
                handler.userFeatures(lineNo, record.user(), record.userFeatures());
            }
            if (record.interaction() == null) {
                handler.profileRow(lineNo);
            } else {
                handler.interaction(lineNo, record.interaction());
            }
        }
    }

    /** A record that keeps every rule: a profile row has no interaction. */
    private record Record(long user, JsonNode userFeatures, Interaction interaction) {}

    private static Record record(JsonNode r, Long lineUser) {
        if (!r.isArray() || r.size() < ACTION + 1) {
            throw new IllegalArgumentException("a record must be a list of at least 5 fields, got " + r);
        }
        Long user = lineUser;
        if (!r.get(USER).isNull()) {
            long own = id(r.get(USER), "user_id");
            if (lineUser != null && own != lineUser) {
                throw new IllegalArgumentException("user_id " + Long.toUnsignedString(own) + " differs from the line's"
                        + " user " + Long.toUnsignedString(lineUser));
            }
            user = own;
        }
        JsonNode userFeatures = r.get(USER_FEAT);
        if (userFeatures.isNull()) {
            userFeatures = null;
        } else {
            if (!userFeatures.isObject()) {
                throw new IllegalArgumentException("user_feat=" + userFeatures + " must be an object or null");
            }
            if (user == null) {
                throw new IllegalArgumentException("user_feat without a user_id in the record or anywhere on the line");
            }
        }
        if (r.get(ITEM).isNull()) {
            return new Record(user == null ? 0 : user, userFeatures, null);
        }
        long item = id(r.get(ITEM), "item_id");
        if (user == null) {
            throw new IllegalArgumentException("no user_id in the record nor anywhere on the line");
        }
        JsonNode action = r.get(ACTION);
        if (!action.isIntegralNumber() || !action.canConvertToInt() || action.intValue() < 0) {
            throw new IllegalArgumentException("action_type=" + action + " must be an integer bitmask >= 0");
        }
        JsonNode ts = r.size() > TIMESTAMP ? r.get(TIMESTAMP) : null;
        if (ts == null || ts.isNull()) {
            throw new IllegalArgumentException("timestamp is missing");
        }
        if (!ts.isIntegralNumber()
                || !ts.canConvertToLong()
                || ts.longValue() < 0
                || ts.longValue() > Long.MAX_VALUE / 1000) {
            throw new IllegalArgumentException("timestamp must be >= 0 whole seconds since 1970, got " + ts);
        }
        return new Record(user, userFeatures, new Interaction(user, item, action.intValue(), ts.longValue()));
    }

    private static long id(JsonNode node, String field) {
        try {
            if (node.isIntegralNumber()) {
                return Long.parseUnsignedLong(node.bigIntegerValue().toString());
            }
            if (node.isTextual()) {
                return Long.parseUnsignedLong(node.textValue().strip());
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException(field + "=" + node + " is not an unsigned 64-bit id");
    }
}
