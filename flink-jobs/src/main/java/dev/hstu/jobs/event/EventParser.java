package dev.hstu.jobs.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.model.data.UserFeatureHashing;
import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;

/**
 * Parses and validates one interaction event from JSON:
 * {@code {"user_id": u64, "item_id": u64, "action": "click"|"exposure"|int, "ts": epoch-ms, ...features}}.
 *
 * <p>Ids may be JSON numbers or decimal strings. With {@link EventRules#userFeatures()}, {@code user_feat}
 * ({@code {"<feature id>": int | numeric string | [ints] | null}}) becomes one hashed key per feature and value
 * ({@link UserFeatureHashing#key}), sorted and distinct; otherwise it is skipped like {@code item_feat} and
 * {@code mm_emb}, which are never materialised. Every rejection names the field and the value, so a
 * dead letter says what to fix. Uses Jackson's streaming parser: one pass, no tree per event.
 */
public final class EventParser implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int MAX_REASON_VALUE_CHARS = 80;

    private final EventRules rules;
    private transient JsonFactory factory;

    public EventParser(EventRules rules) {
        this.rules = rules;
    }

    /** Parses {@code payload}, judging future timestamps against {@code nowMs}. Never throws on bad input. */
    public ParseResult parse(byte[] payload, long nowMs) {
        if (payload == null || payload.length == 0) {
            return ParseResult.rejected("empty payload");
        }
        if (payload.length > rules.maxPayloadBytes()) {
            return ParseResult.rejected(
                    "payload too large: " + payload.length + " bytes > limit " + rules.maxPayloadBytes());
        }
        try (JsonParser p = factory().createParser(payload)) {
            return parseObject(p, nowMs);
        } catch (IOException | RuntimeException e) {
            return ParseResult.rejected("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    private ParseResult parseObject(JsonParser p, long nowMs) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return ParseResult.rejected("malformed JSON: expected an object");
        }
        Long user = null;
        Long item = null;
        Integer action = null;
        Long ts = null;
        long[] userFeatures = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                return ParseResult.rejected("malformed JSON: expected a field name");
            }
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "user_id" -> {
                    user = readId(p, value);
                    if (user == null) {
                        return ParseResult.rejected("bad user_id: " + describe(p, value));
                    }
                }
                case "item_id" -> {
                    item = readId(p, value);
                    if (item == null) {
                        return ParseResult.rejected("bad item_id: " + describe(p, value));
                    }
                }
                case "action" -> {
                    action = readAction(p, value);
                    if (action == null) {
                        return ParseResult.rejected("bad action: " + describe(p, value)
                                + " (use \"click\", \"exposure\" or a bitmask int in [0, " + rules.maxAction() + "])");
                    }
                }
                case "ts" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || !fitsLong(p)) {
                        return ParseResult.rejected("bad ts: " + describe(p, value) + " (epoch milliseconds)");
                    }
                    ts = p.getLongValue();
                }
                case "user_feat" -> {
                    if (!rules.userFeatures()) {
                        p.skipChildren();
                        break;
                    }
                    try {
                        userFeatures = UserFeatureHashing.keys(p.readValueAsTree());
                    } catch (IllegalArgumentException e) {
                        return ParseResult.rejected("bad user_feat: " + e.getMessage());
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            return ParseResult.rejected("malformed JSON: trailing content after the object");
        }
        if (user == null) {
            return ParseResult.rejected("missing user_id");
        }
        if (item == null) {
            return ParseResult.rejected("missing item_id");
        }
        if (ts == null) {
            return ParseResult.rejected("missing ts");
        }
        if (ts < rules.minTimestampMs()) {
            return ParseResult.rejected("bad ts: " + ts + " is before the earliest accepted " + rules.minTimestampMs());
        }
        if (ts > nowMs + rules.maxFutureSkewMs()) {
            return ParseResult.rejected(
                    "bad ts: " + ts + " is more than " + rules.maxFutureSkewMs() + " ms in the future");
        }
        return ParseResult.ok(new InteractionEvent(user, item, action == null ? 0 : action, ts, null, userFeatures));
    }

    private static Long readId(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return parseUnsigned(p.getText());
            }
            long id = p.getLongValue();
            return id < 0 ? null : id;
        }
        if (value == JsonToken.VALUE_STRING) {
            return parseUnsigned(p.getText().trim());
        }
        return null;
    }

    private static Long parseUnsigned(String text) {
        if (text.isEmpty() || text.length() > 20 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Integer readAction(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            if (!fitsLong(p)) {
                return null;
            }
            long a = p.getLongValue();
            return a >= 0 && a <= rules.maxAction() ? (int) a : null;
        }
        if (value == JsonToken.VALUE_STRING) {
            return switch (p.getText().trim().toLowerCase(Locale.ROOT)) {
                case "exposure", "impression" -> 0;
                case "click" -> 1;
                default -> null;
            };
        }
        return null;
    }

    // getLongValue throws for a larger integer, which would make the reason "malformed JSON" instead of the field's
    private static boolean fitsLong(JsonParser p) throws IOException {
        return p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }

    private static String describe(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return "null";
        }
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            p.skipChildren();
            return value == JsonToken.START_OBJECT ? "an object" : "an array";
        }
        String text = p.getText();
        if (text.length() > MAX_REASON_VALUE_CHARS) {
            text = text.substring(0, MAX_REASON_VALUE_CHARS) + "...";
        }
        return value == JsonToken.VALUE_STRING ? "\"" + text + "\"" : text;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private JsonFactory factory() {
        if (factory == null) {
            // an object mapper as the factory's codec, so a user_feat object can be read as a tree
            factory = new ObjectMapper(JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(64)
                                    .maxNumberLength(64)
                                    .build())
                            .build())
                    .getFactory();
        }
        return factory;
    }
}
