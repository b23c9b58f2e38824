package dev.hstu.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.formats.jsonl.JsonLines;
import dev.hstu.model.data.UserFeatureHashing;
import dev.hstu.model.data.UserSequences;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the seed {@code seq.jsonl} format: one user per line, a JSON list of records {@code
 * [user_id|null, item_id|null, user_feat|null, item_feat|null, action_type:int, timestamp:int?]}.
 *
 * <p>Records with a null {@code item_id} are profile rows and carry no interaction. The user is
 * the first non-null {@code user_id} of the line. A record without a timestamp takes the
 * previous record's (0 if none), so order within the line decides its place.
 */
public final class SeqJsonl {

    private SeqJsonl() {}

    /**
     * @param file the seq.jsonl file
     * @return the events, per user
     * @throws IOException on a read error or malformed line (named by line number and field)
     */
    public static UserSequences.Collector read(Path file) throws IOException {
        UserSequences.Collector events = new UserSequences.Collector();
        JsonLines.forEach(file, (where, records) -> readLine(where, records, events));
        return events;
    }

    private static void readLine(String where, JsonNode records, UserSequences.Collector events) throws IOException {
        if (records == null || !records.isArray()) {
            throw new IOException(where + ": expected a JSON list of records");
        }
        Long user = null;
        for (JsonNode r : records) {
            if (r.isArray() && r.size() > 0 && !r.get(0).isNull()) {
                user = integer(where, "user_id", r.get(0));
                break;
            }
        }
        if (user == null) {
            throw new IOException(where + ": no record has a user_id");
        }
        long lastTs = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            String at = where + " record " + i;
            if (!r.isArray() || r.size() < 5 || r.size() > 6) {
                throw new IOException(
                        at + ": expected [user_id, item_id, user_feat, item_feat, action_type, timestamp?], got " + r);
            }
            if (!r.get(0).isNull() && integer(at, "user_id", r.get(0)) != user) {
                throw new IOException(at + ": user_id " + r.get(0) + " differs from the line's user " + user);
            }
            if (r.size() == 6 && !r.get(5).isNull()) {
                long ts = integer(at, "timestamp", r.get(5));
                if (ts < 0) {
                    throw new IOException(at + ": timestamp must be >= 0, got " + ts);
                }
                lastTs = ts;
            }
            if (r.get(1).isNull()) {
                continue; // profile row
            }
            long item = integer(at, "item_id", r.get(1));
            long action = r.get(4).isNull() ? 0 : integer(at, "action_type", r.get(4));
            if (action < 0 || action > Integer.MAX_VALUE) {
                throw new IOException(at + ": action_type must be a non-negative int, got " + action);
            }
            events.add(user, item, (int) action, lastTs);
        }
    }

    /**
     * The users' contextual features: per user the keys of the last non-null {@code user_feat} of its
     * line, in file order ({@link UserFeatureHashing#keys}).
     *
     * @param file the seq.jsonl file
     * @return user id (as written) to its sorted keys; users without features are absent
     * @throws IOException on a read error or a malformed line or {@code user_feat}, naming the line
     */
    public static Map<Long, long[]> userFeatures(Path file) throws IOException {
        Map<Long, long[]> features = new HashMap<>();
        JsonLines.forEach(file, (where, records) -> {
            Long user = null;
            long[] keys = null;
            for (JsonNode r : records) {
                if (!r.isArray() || r.size() < 3) {
                    continue;
                }
                if (user == null && !r.get(0).isNull()) {
                    user = integer(where, "user_id", r.get(0));
                }
                try {
                    long[] recordKeys = UserFeatureHashing.keys(r.get(2));
                    keys = recordKeys != null ? recordKeys : keys;
                } catch (IllegalArgumentException e) {
                    throw new IOException(where + ": bad user_feat: " + e.getMessage(), e);
                }
            }
            if (user != null && keys != null) {
                features.put(user, keys);
            }
        });
        return features;
    }

    private static long integer(String at, String field, JsonNode node) throws IOException {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText());
            } catch (NumberFormatException e) {
                throw new IOException(at + ": " + field + " must be an integer, got " + node, e);
            }
        }
        throw new IOException(at + ": " + field + " must be an integer, got " + node);
    }
}
