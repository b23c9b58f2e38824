package dev.hstu.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;

/** Dotted-key overrides on a configuration's JSON tree, the one syntax of {@code --set key=value}. */
public final class ConfigTree {

    private static final YAMLMapper YAML = new YAMLMapper();

    private ConfigTree() {}

    /**
     * Sets {@code a.b.c} to a value, creating the objects on the way (an absent optional group is created empty, so
     * its other settings take their defaults).
     *
     * @param root the tree to change
     * @param key the dotted key
     * @param value the new value
     * @throws IllegalArgumentException when the key crosses a setting that is not an object
     */
    public static void set(ObjectNode root, String key, JsonNode value) {
        String[] parts = key.split("\\.", -1);
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            } else if (!child.isObject()) {
                throw new IllegalArgumentException("cannot set " + key + ": "
                        + String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + " is a setting, not a group");
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /**
     * Reads a value as a command line gives it: YAML, so that {@code 4} is a number, {@code true} a boolean,
     * {@code [1, 2]} a list, <code>{81: 32}</code> a map and {@code null} turns an optional group off; anything else
     * is text.
     *
     * @param text the value
     * @return its tree
     */
    public static JsonNode parse(String text) {
        try {
            JsonNode node = YAML.readTree(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (IOException e) {
            return TextNode.valueOf(text);
        }
    }

    /**
     * @param e a failure to map a tree
     * @return {@code " (at key a.b.c)"} naming where it failed, or empty when unknown
     */
    static String at(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() > 0 ? "." : "").append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "" : " (at key " + sb + ")";
    }
}
