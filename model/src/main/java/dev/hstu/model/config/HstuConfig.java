package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable hyper-parameters of an HSTU model and its trainer, one small record per module.
 *
 * <p>Deserialises from JSON or YAML with Jackson; a setting missing from the input takes its {@link #defaults()}
 * value, an unknown one is an error (see {@link SectionDeserializer}). Settings are named by dotted keys such as
 * {@code stu.numLayers}, the keys {@link #with(String, Object)} and {@link ConfigKeys} use. Call {@link #validate()}
 * before use. {@link #read(Path)} also reads the flat form of models saved before the split ({@link LegacyFlatConfig}).
 *
 * @param items the item table
 * @param encoder the encoder's type, width and longest sequence
 * @param stu the layer stack
 * @param features the input features besides item and position
 * @param task the retrieval objective
 * @param optimizer the optimiser and its schedule
 * @param runtime device, seed and precision
 * @param ranking the ranking task, replacing retrieval's; null (absent): the model retrieves
 * @param match the two-tower Match task, scoring by an item tower instead of the item table; null (absent): the
 *     model retrieves by its item table
 */
@JsonDeserialize(using = SectionDeserializer.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HstuConfig(
        @Doc("the item table") ItemTableConfig items,

        @Doc("the encoder's type, width and longest sequence")
        EncoderConfig encoder,

        @Doc("the layer stack") StuConfig stu,
        @Doc("the input features besides item and position") InputFeaturesConfig features,
        @Doc("the retrieval objective") RetrievalConfig task,
        @Doc("the optimiser and its schedule") OptimizerConfig optimizer,
        @Doc("device, seed and precision") RuntimeConfig runtime,

        @Doc("the DLRM-HSTU ranking task, replacing retrieval; absent: retrieval")
        RankingConfig ranking,

        @Doc("two-tower Match: an item tower scores items from their id row and side features; absent: retrieval")
        MatchConfig match) {

    /** Floats of the largest multimodal table: DJL uploads an array through one direct buffer of at most 2 GiB. */
    private static final long MAX_TABLE_FLOATS = (Integer.MAX_VALUE - 8) / Float.BYTES;

    private static final HstuConfig DEFAULTS = new HstuConfig(null, null, null, null, null, null, null, null, null);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A section left out takes its defaults. */
    public HstuConfig {
        items = Objects.requireNonNullElseGet(items, ItemTableConfig::defaults);
        encoder = Objects.requireNonNullElseGet(encoder, EncoderConfig::defaults);
        stu = Objects.requireNonNullElseGet(stu, StuConfig::defaults);
        features = Objects.requireNonNullElseGet(features, InputFeaturesConfig::defaults);
        task = Objects.requireNonNullElseGet(task, RetrievalConfig::defaults);
        optimizer = Objects.requireNonNullElseGet(optimizer, OptimizerConfig::defaults);
        runtime = Objects.requireNonNullElseGet(runtime, RuntimeConfig::defaults);
    }

    /**
     * The recommended starting point: d=64, 2 layers, 2 heads, sequences up to 200 events.
     *
     * @return the default configuration (valid)
     */
    public static HstuConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Reports every invalid setting, each naming its key ({@code model.stu.numLayers}) and value.
     *
     * @param problems where the problems are added
     */
    public void check(List<String> problems) {
        items.check(problems);
        encoder.check(problems);
        stu.check(problems);
        features.check(problems);
        task.check(problems);
        optimizer.check(problems);
        runtime.check(problems);
        if (ranking != null) {
            ranking.check(problems, features.actions().numActions());
        }
        if (match != null) {
            match.check(problems, task);
        }
        Checks.require(
                problems,
                ranking == null || match == null,
                "match",
                "cannot be on with model.ranking: a model has one task",
                "a match and a ranking section");
        Checks.require(
                problems,
                stu.numHeads() < 1 || encoder.embeddingDim() % stu.numHeads() == 0,
                "encoder.embeddingDim",
                "must be divisible by stu.numHeads=" + stu.numHeads(),
                encoder.embeddingDim());
        Checks.require(
                problems,
                !runtime.mixedPrecision() || optimizer.gradientAccumulationSteps() == 1,
                "runtime.mixedPrecision",
                "needs optimizer.gradientAccumulationSteps = 1 (float16 gradients are not accumulated across"
                        + " micro-batches)",
                runtime.mixedPrecision());
        features.multimodalDims()
                .forEach((id, width) -> Checks.require(
                        problems,
                        width == null || (long) width * items.capacity() <= MAX_TABLE_FLOATS,
                        "features.multimodalDims",
                        "feature " + id + " needs items.capacity x width = " + items.capacity() + " x " + width
                                + " floats, more than one table upload holds (2 GiB); lower items.capacity",
                        features.multimodalDims()));
    }

    /**
     * Checks every setting and returns this config unchanged when all are valid.
     *
     * @return this
     * @throws IllegalArgumentException listing every invalid setting and its value
     */
    public HstuConfig validate() {
        List<String> problems = new ArrayList<>();
        check(problems);
        if (problems.size() == 1) {
            throw new IllegalArgumentException(problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid model configuration:\n  - " + String.join("\n  - ", problems));
        }
        return this;
    }

    /**
     * A copy with one setting changed, not validated (so that settings which must agree can be changed one by one).
     *
     * @param key a dotted key such as {@code stu.numLayers}; a key into an absent optional group (e.g. {@code
     *     task.rankPackage.counts}) turns the group on with its other settings at their defaults
     * @param value the new value, of the setting's type or one Jackson converts to it; null turns an optional group off
     * @return the changed copy
     * @throws IllegalArgumentException naming an unknown key or a value of the wrong type
     */
    public HstuConfig with(String key, Object value) {
        ObjectNode tree = JSON.valueToTree(this);
        ConfigTree.set(tree, key, JSON.valueToTree(value));
        return fromTree(tree, "--set " + key);
    }

    /**
     * A copy with settings changed from their text (as on a command line: {@code 4}, {@code true}, {@code BITS},
     * {@code [1,0,0,0,2]}, <code>{81: 32}</code>), not validated.
     *
     * @param settings dotted key to its value as text, applied in order
     * @return the changed copy
     * @throws IllegalArgumentException naming an unknown key or a value of the wrong type
     */
    public HstuConfig withSettings(Map<String, String> settings) {
        ObjectNode tree = JSON.valueToTree(this);
        settings.forEach((key, text) -> ConfigTree.set(tree, key, ConfigTree.parse(text)));
        return fromTree(tree, "--set " + String.join(", ", settings.keySet()));
    }

    /**
     * Parses a JSON object, composed or in the flat form of models saved before the split; absent settings take
     * their defaults.
     *
     * @param json the JSON text
     * @return the parsed, validated config
     * @throws IllegalArgumentException on malformed JSON, an unknown setting or an invalid value
     */
    public static HstuConfig fromJson(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid model config JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(tree).validate();
    }

    /**
     * @param tree a parsed config, composed or flat (legacy); null or missing for the defaults
     * @return the config, not validated
     * @throws IllegalArgumentException on an unknown setting or a value of the wrong type
     */
    public static HstuConfig fromTree(JsonNode tree) {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return DEFAULTS;
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException("a model config must be a JSON object, got " + tree.getNodeType());
        }
        boolean flat = LegacyFlatConfig.isFlat(tree);
        return fromTree(
                flat ? LegacyFlatConfig.toComposed((ObjectNode) tree) : tree, flat ? "flat model config" : null);
    }

    private static HstuConfig fromTree(JsonNode tree, String source) {
        try {
            return JSON.treeToValue(tree, HstuConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "invalid model config" + (source == null ? "" : " (" + source + ")") + ": " + e.getOriginalMessage()
                            + ConfigTree.at(e),
                    e);
        }
    }

    /**
     * Serialises this config as indented JSON, every setting present (optional groups that are off left out).
     *
     * @return the JSON text
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a config file written by {@link #toJson()}, by hand, or by a version that wrote the flat form.
     *
     * @param file the JSON file
     * @return the validated config
     * @throws IOException if the file cannot be read
     */
    public static HstuConfig read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }
}
