package dev.hstu.formats.seed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed's {@code indexer.pkl} as JSON ({@code indexer.json}): {@code {"u": {"<user id>": reid},
 * "i": {"<creative id>": reid}, "f": {...}}}. {@code seq.jsonl} and {@code predict_seq.jsonl} hold
 * the re-indexed ids; this maps them back to the original user and creative ids, which the rest of
 * the system uses (the multimodal embeddings and {@code predict_set.jsonl} are keyed by creative
 * id). Feature value maps ({@code "f"}) are not read.
 */
public final class SeedIndexer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Long, Long> users;
    private final Map<Long, Long> items;

    private SeedIndexer(Map<Long, Long> users, Map<Long, Long> items) {
        this.users = users;
        this.items = items;
    }

    /**
     * @param users user reid to original id
     * @param items item reid to creative id
     * @return the indexer
     */
    public static SeedIndexer of(Map<Long, Long> users, Map<Long, Long> items) {
        return new SeedIndexer(Map.copyOf(users), Map.copyOf(items));
    }

    /**
     * Streams the file, so an index of millions of ids costs its maps, not a JSON tree as well.
     *
     * @param file {@code indexer.json}
     * @return the indexer
     * @throws IOException on a read error, or a malformed file, naming the key and value
     */
    public static SeedIndexer read(Path file) throws IOException {
        Map<Long, Long> users = new HashMap<>();
        Map<Long, Long> items = new HashMap<>();
        try (InputStream in = Files.newInputStream(file);
                JsonParser p = JSON.getFactory().createParser(in)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, file, "expected an object {\"u\": {...}, \"i\": {...}}");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String section = p.currentName();
                p.nextToken();
                switch (section) {
                    case "u" -> readSection(p, file, "u", users);
                    case "i" -> readSection(p, file, "i", items);
                    default -> p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        expect(!items.isEmpty(), file, "has no item index \"i\"");
        return new SeedIndexer(users, items);
    }

    /**
     * Writes the index as {@code indexer.json} ({@code "u"} and {@code "i"}, ids in ascending reid order), through
     * {@link AtomicFiles}.
     *
     * @param file the file
     * @throws IOException on failure
     */
    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("u", byOriginalId(users));
        json.put("i", byOriginalId(items));
        AtomicFiles.write(file, out -> JSON.writeValue(out, json));
    }

    private static Map<String, Long> byOriginalId(Map<Long, Long> reidToId) {
        Map<String, Long> out = new LinkedHashMap<>();
        new TreeMap<>(reidToId).forEach((reid, id) -> out.put(Long.toUnsignedString(id), reid));
        return out;
    }

    private static void readSection(JsonParser p, Path file, String section, Map<Long, Long> reidToId)
            throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, file, "\"" + section + "\" must be an object of id -> reid");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String id = p.currentName();
            JsonToken value = p.nextToken();
            long original;
            try {
                original = Long.parseUnsignedLong(id.strip());
            } catch (NumberFormatException e) {
                throw new IOException(file + ": \"" + section + "\" key '" + id + "' is not an unsigned 64-bit id");
            }
            expect(
                    value == JsonToken.VALUE_NUMBER_INT,
                    file,
                    "\"" + section + "\"[\"" + id + "\"] must be an integer reid");
            Long previous = reidToId.put(p.getLongValue(), original);
            expect(
                    previous == null,
                    file,
                    "\"" + section + "\" gives reid " + p.getLongValue() + " to both " + previous + " and " + id);
        }
    }

    private static void expect(boolean ok, Path file, String message) throws IOException {
        if (!ok) {
            throw new IOException(file + ": " + message);
        }
    }

    /**
     * @param reid a user reid
     * @return the original user id
     * @throws IllegalArgumentException naming the reid when the index has none
     */
    public long userId(long reid) {
        Long id = users.get(reid);
        if (id == null) {
            throw new IllegalArgumentException("user reid " + reid + " is not in indexer.json");
        }
        return id;
    }

    /**
     * @param reid an item reid
     * @return the creative id
     * @throws IllegalArgumentException naming the reid when the index has none
     */
    public long itemId(long reid) {
        Long id = items.get(reid);
        if (id == null) {
            throw new IllegalArgumentException("item reid " + reid + " is not in indexer.json");
        }
        return id;
    }

    /** @return users in the index */
    public int users() {
        return users.size();
    }

    /** @return items in the index */
    public int items() {
        return items.size();
    }
}
