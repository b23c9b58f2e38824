package dev.hstu.model.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hstu.model.config.HstuConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A named training recipe, {@code conf/presets/NAME.yaml}: the model's settings (its {@code model:} part, sectioned as
 * {@code --config} reads them) and the run options of {@code hstu train} (its {@code train:} part). The command line
 * overrides both: a flag or {@code --set} wins over the preset's model settings, an explicit {@code --epochs} over its
 * {@code train.epochs}.
 *
 * @param file the file it was read from
 * @param model the model settings, not yet validated
 * @param train the run options it sets; each null one is the command's default
 */
public record Preset(Path file, HstuConfig model, Run train) {

    /** Where {@code --preset NAME} looks, under the working directory (the repository root for bin/hstu, bench/run). */
    public static final Path DIRECTORY = Path.of("conf", "presets");

    private static final Set<String> PARTS = Set.of("model", "train");

    private static final ObjectMapper STRICT =
            new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The run options of {@code hstu train} a preset sets; null ones are left to the command.
     *
     * @param epochs maximum epochs (the learning-rate decay reaches 0 at the last)
     * @param batchSize users per step
     * @param patience stop after this many epochs without a validation gain; 0 = never
     * @param windowStride 0: each user's most recent events; N: the whole history in windows N events apart
     */
    public record Run(Integer epochs, Integer batchSize, Integer patience, Integer windowStride) {

        /** Nothing set. */
        public static final Run NONE = new Run(null, null, null, null);

        void check(List<String> problems) {
            atLeast(problems, "train.epochs", epochs, 1);
            atLeast(problems, "train.batchSize", batchSize, 1);
            atLeast(problems, "train.patience", patience, 0);
            atLeast(problems, "train.windowStride", windowStride, 0);
        }

        private static void atLeast(List<String> problems, String key, Integer value, int min) {
            if (value != null && value < min) {
                problems.add(key + " must be >= " + min + ", got " + value);
            }
        }
    }

    /**
     * @param nameOrPath a preset's name ({@code retrieval-small}: {@code conf/presets/retrieval-small.yaml}) or a
     *     preset file's path (with a directory or a {@code .yaml}/{@code .yml} extension)
     * @return the preset, its run options checked, its model settings parsed but not validated
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file for a missing preset, an unknown part or key, or bad values
     */
    public static Preset load(String nameOrPath) throws IOException {
        boolean path = nameOrPath.contains("/") || nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml");
        Path file = path ? Path.of(nameOrPath) : DIRECTORY.resolve(nameOrPath + ".yaml");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no preset " + nameOrPath + ": " + file + " does not exist"
                    + (path ? "" : " (presets in " + DIRECTORY + ": " + String.join(", ", names()) + ")"));
        }
        return parse(file, text);
    }

    /**
     * @param file where the text came from, for messages
     * @param text the preset's YAML
     * @return the preset
     * @throws IllegalArgumentException naming the file for an unknown part or key, or bad values
     */
    static Preset parse(Path file, String text) {
        JsonNode tree;
        try {
            tree = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("preset " + file + ": not YAML: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("preset " + file + ": must be a YAML mapping with model: and train:");
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String part = names.next();
            if (!PARTS.contains(part)) {
                problems.add("unknown part " + part + " (a preset has model: and train:)");
            }
        }
        Run train = Run.NONE;
        if (tree.hasNonNull("train")) {
            try {
                train = STRICT.treeToValue(tree.get("train"), Run.class);
                train.check(problems);
            } catch (JsonProcessingException e) {
                problems.add("train: " + e.getOriginalMessage());
            }
        }
        HstuConfig model = null;
        try {
            model = HstuConfig.fromTree(tree.get("model"));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("preset " + file + ": " + String.join("; ", problems));
        }
        return new Preset(file, model, train);
    }

    /**
     * @return the names of the presets in {@link #DIRECTORY}, sorted; empty when it does not exist
     * @throws IOException if the directory cannot be listed
     */
    public static List<String> names() throws IOException {
        if (!Files.isDirectory(DIRECTORY)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .toList();
        }
    }
}
