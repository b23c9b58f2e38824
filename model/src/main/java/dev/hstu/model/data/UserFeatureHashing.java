package dev.hstu.model.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Maps sparse user-feature keys to rows of the hashed user-feature table, so an unbounded space of
 * (feature id, value) pairs needs no vocabulary: colliding keys share a row.
 *
 * <p>Row 0 belongs to the empty slot ({@link PackedBatch#NO_USER_FEATURE}) alone; every key lands
 * in {@code [1, buckets)}.
 */
public final class UserFeatureHashing {

    private UserFeatureHashing() {}

    /**
     * The keys of a {@code user_feat} object as events and the seed's {@code seq.jsonl} carry it:
     * {@code {"<feature id>": int | numeric string | [ints] | null}}, one key per feature and value.
     *
     * @param userFeat the object; null or JSON null for none
     * @return the keys, sorted and distinct; null when there are none
     * @throws IllegalArgumentException naming the feature and value that is not an int
     */
    public static long[] keys(JsonNode userFeat) {
        if (userFeat == null || userFeat.isNull()) {
            return null;
        }
        if (!userFeat.isObject()) {
            throw new IllegalArgumentException(describe(userFeat) + " (an object of feature id -> int or [ints])");
        }
        long[] keys = new long[8];
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = userFeat.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            int feature;
            try {
                feature = Integer.parseInt(field.getKey().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("feature id \"" + field.getKey() + "\" is not an int");
            }
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode element : value) {
                    Long v = integer(element);
                    if (v == null) {
                        throw new IllegalArgumentException(
                                "feature " + feature + " has " + describe(element) + " in its list (ints only)");
                    }
                    keys = append(keys, n++, key(feature, v));
                }
                continue;
            }
            Long v = integer(value);
            if (v == null) {
                throw new IllegalArgumentException(
                        "feature " + feature + " is " + describe(value) + " (an int or [ints])");
            }
            keys = append(keys, n++, key(feature, v));
        }
        long[] sorted = Arrays.stream(keys, 0, n).sorted().distinct().toArray();
        return sorted.length == 0 ? null : sorted;
    }

    private static Long integer(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        String text = value.isTextual() ? "\"" + value.textValue() + "\"" : value.toString();
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static long[] append(long[] keys, int at, long key) {
        long[] out = at == keys.length ? Arrays.copyOf(keys, at * 2) : keys;
        out[at] = key;
        return out;
    }

    /**
     * Combines a feature id and its value into one key, never {@link PackedBatch#NO_USER_FEATURE},
     * so that the same value of two features (e.g. age 3 and city 3) are different keys.
     *
     * @param featureId the feature (e.g. the seed's user feature id 103)
     * @param value its value for the user
     * @return the key to pack into a batch
     */
    public static long key(int featureId, long value) {
        long key = mix(mix(featureId) + value);
        return key == PackedBatch.NO_USER_FEATURE ? 1L : key;
    }

    /**
     * @param key a packed key
     * @param buckets rows of the table ({@code >= 2})
     * @return 0 for the empty slot, otherwise a row in {@code [1, buckets)}
     */
    public static int row(long key, int buckets) {
        if (key == PackedBatch.NO_USER_FEATURE) {
            return 0;
        }
        // mixed again: a caller's raw keys (small consecutive ids) would otherwise fill the table in runs
        return 1 + (int) Long.remainderUnsigned(mix(key), buckets - 1);
    }

    /** SplitMix64's finaliser: every input bit flips about half of the output bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
