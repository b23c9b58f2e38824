package dev.hstu.ctr.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.ctr.CtrEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the seed's {@code seq.jsonl}: one user per line, a JSON list of records {@code [user_id |
 * null, item_id | null, user_feat | null, item_feat | null, action_type, timestamp?]} with the
 * timestamp in seconds. A record with a null item id is a user-profile row: counted, not an
 * interaction. A record with a null user id takes the line's user (the first non-null user id of
 * the line). Ids may be JSON integers or decimal strings (u64). The action type is the action
 * bitmask; a record without a timestamp is rejected, since decay and the as-of time need one.
 */
public final class SeqJsonlReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACTION = 4;
    private static final int TIMESTAMP = 5;

    /**
     * Reads the file, passing events and rejected records to the sink in file order.
     *
     * @throws IOException when the file cannot be read
     */
    public void read(Path file, EventLogSink sink) throws IOException {
        try (BufferedReader in = EventLogFormat.open(file)) {
            long lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (!line.isBlank()) {
                    parseLine(lineNo, line, sink);
                }
            }
        }
    }

    private void parseLine(long lineNo, String line, EventLogSink sink) {
        JsonNode records;
        try {
            records = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            sink.reject(InputReject.of(lineNo, "not valid JSON: " + e.getOriginalMessage(), line));
            return;
        }
        if (!records.isArray()) {
            sink.reject(InputReject.of(
                    lineNo, "a line must be a JSON list of records, got " + records.getNodeType(), line));
            return;
        }
        Long lineUser = null;
        for (JsonNode r : records) {
            if (r.isArray() && r.size() > 0 && !r.get(0).isNull()) {
                try {
                    lineUser = id(r.get(0), "user_id");
                } catch (IllegalArgumentException e) {
                    sink.reject(InputReject.of(lineNo, e.getMessage(), line));
                    return;
                }
                break;
            }
        }
        for (int i = 0; i < records.size(); i++) {
            try {
                parseRecord(lineNo, records.get(i), lineUser, sink);
            } catch (IllegalArgumentException e) {
                sink.reject(InputReject.of(lineNo, "record " + i + ": " + e.getMessage(), line));
            }
        }
    }

    private static void parseRecord(long lineNo, JsonNode r, Long lineUser, EventLogSink sink) {
        if (!r.isArray() || r.size() < ACTION + 1) {
            throw new IllegalArgumentException("a record must be a list of at least 5 fields, got " + r);
        }
        Long user = r.get(0).isNull() ? lineUser : Long.valueOf(id(r.get(0), "user_id"));
        JsonNode userFeatures = r.get(2);
        if (!userFeatures.isNull()) {
            if (!userFeatures.isObject()) {
                throw new IllegalArgumentException("user_feat=" + userFeatures + " must be an object or null");
            }
            if (user == null) {
                throw new IllegalArgumentException("user_feat without a user_id in the record or anywhere on the line");
            }
        }
        if (r.get(1).isNull()) {
            if (!userFeatures.isNull()) {
                sink.userFeatures(lineNo, user, userFeatures);
            }
            sink.profileRow(lineNo);
            return;
        }
        long item = id(r.get(1), "item_id");
        if (user == null) {
            throw new IllegalArgumentException("no user_id in the record nor anywhere on the line");
        }
        JsonNode action = r.get(ACTION);
        if (!action.canConvertToInt() || !action.isIntegralNumber() || action.intValue() < 0) {
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
            throw new IllegalArgumentException("timestamp=" + ts + " must be whole seconds since 1970, >= 0");
        }
        if (!userFeatures.isNull()) {
            sink.userFeatures(lineNo, user, userFeatures);
        }
        sink.event(lineNo, new CtrEvent(user, item, action.intValue(), ts.longValue() * 1000));
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
