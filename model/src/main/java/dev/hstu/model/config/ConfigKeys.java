package dev.hstu.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Every key of the model configuration with its default and description, read from the records themselves (their
 * components, {@code defaults()} and {@link Doc}), so a new setting is listed (e.g. by {@code --help}) as soon as it
 * exists.
 */
public final class ConfigKeys {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One settable key.
     *
     * @param key dotted, e.g. {@code model.stu.numLayers}
     * @param defaultValue its default as it would be written in YAML or after {@code --set key=}
     * @param description what it means
     */
    public record Key(String key, String defaultValue, String description) {}

    private ConfigKeys() {}

    /** @return every key of {@link HstuConfig}, prefixed {@code model.}, in declaration order */
    public static List<Key> model() {
        List<Key> keys = new ArrayList<>();
        collect(HstuConfig.class, HstuConfig.defaults(), "model.", keys);
        return keys;
    }

    /**
     * @param keys keys to list
     * @return per key a line {@code key=default} and its description below, indented and wrapped to 80 columns
     */
    public static String table(List<Key> keys) {
        StringBuilder sb = new StringBuilder();
        for (Key k : keys) {
            sb.append("  ").append(k.key()).append('=').append(k.defaultValue()).append('\n');
            StringBuilder line = new StringBuilder("      ");
            for (String word : k.description().split(" ")) {
                if (line.length() + word.length() > 79 && line.length() > 6) {
                    sb.append(line.toString().stripTrailing()).append('\n');
                    line = new StringBuilder("      ");
                }
                line.append(word).append(' ');
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param keys keys to list
     * @return a Markdown table {@code | key | default | meaning |}, as docs/configuration.md holds it
     */
    public static String markdown(List<Key> keys) {
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
        for (Key k : keys) {
            sb.append("| `")
                    .append(k.key())
                    .append("` | `")
                    .append(k.defaultValue())
                    .append("` | ")
                    .append(k.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static void collect(Class<? extends Record> type, Record defaults, String prefix, List<Key> keys) {
        for (RecordComponent c : type.getRecordComponents()) {
            Doc doc = c.getAnnotation(Doc.class);
            String description = doc == null ? "" : doc.value();
            Object value = valueOf(c, defaults);
            if (SectionDeserializer.isSection(c.getType())) {
                @SuppressWarnings("unchecked")
                Class<? extends Record> section = (Class<? extends Record>) c.getType();
                if (value == null) {
                    // an optional group: off by default, its settings are those it takes when turned on
                    keys.add(new Key(prefix + c.getName(), "null", description + " (on: set any of its keys)"));
                    collect(section, SectionDeserializer.defaults(section), prefix + c.getName() + ".", keys);
                } else {
                    collect(section, (Record) value, prefix + c.getName() + ".", keys);
                }
            } else {
                keys.add(new Key(prefix + c.getName(), text(value), description));
            }
        }
    }

    private static Object valueOf(RecordComponent c, Record owner) {
        try {
            return c.getAccessor().invoke(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    private static String text(Object value) {
        if (value instanceof String || value instanceof Enum<?>) {
            return value.toString();
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
