package dev.hstu.jobs.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a {@link JobConfig} from YAML. Unknown keys are errors (a typo must not silently fall back to a default),
 * and {@code key.path=value} overrides from the command line are applied before validation.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final String KAFKA_PROPERTIES = "kafka.properties.";

    private ConfigLoader() {}

    public static JobConfig load(Path file, Map<String, String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("configuration file not found: " + file.toAbsolutePath());
        }
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            return fromTree(
                    tree == null || tree.isNull() || tree.isMissingNode() ? YAML.createObjectNode() : tree,
                    overrides,
                    file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration " + file + ": " + e.getMessage(), e);
        }
    }

    public static JobConfig fromYaml(String yaml, Map<String, String> overrides) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            return fromTree(
                    tree == null || tree.isNull() || tree.isMissingNode() ? YAML.createObjectNode() : tree,
                    overrides,
                    "<inline>");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot parse configuration: " + e.getMessage(), e);
        }
    }

    private static JobConfig fromTree(JsonNode tree, Map<String, String> overrides, String source) {
        if (!tree.isObject()) {
            throw new IllegalArgumentException("configuration " + source + " must be a YAML mapping");
        }
        ObjectNode root = (ObjectNode) tree;
        overrides.forEach((path, value) -> set(root, path, value));
        try {
            return YAML.treeToValue(root, JobConfig.class).validate();
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(
                    "invalid configuration " + source + " at '" + pathOf(e) + "': " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid configuration " + source + ": " + e.getMessage(), e);
        }
    }

    private static void set(ObjectNode root, String path, String value) {
        if (path.startsWith(KAFKA_PROPERTIES) && path.length() > KAFKA_PROPERTIES.length()) {
            // Kafka's own keys have dots (security.protocol): all after the prefix is one key, its value text
            JsonNode kafka = root.get("kafka");
            ObjectNode section = kafka != null && kafka.isObject() ? (ObjectNode) kafka : root.putObject("kafka");
            JsonNode props = section.get("properties");
            ObjectNode properties =
                    props != null && props.isObject() ? (ObjectNode) props : section.putObject("properties");
            properties.put(path.substring(KAFKA_PROPERTIES.length()), value);
            return;
        }
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        try {
            // Parse as YAML so numbers and booleans keep their types ("64" -> 64, "true" -> true).
            node.set(parts[parts.length - 1], YAML.readTree(value));
        } catch (IOException e) {
            node.put(parts[parts.length - 1], value);
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.toString();
    }
}
