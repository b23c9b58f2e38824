package dev.hstu.model.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hstu.model.config.ConfigKeys;
import dev.hstu.model.config.HstuConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The model configuration of a run: a named preset ({@link Preset}) or a JSON or YAML file (absent settings take
 * defaults), then the convenience flags, then each {@code --set model.KEY=VALUE} in order.
 */
public final class ModelOptions {

    /** The prefix of the model's keys, as in the jobs' YAML. */
    static final String PREFIX = "model.";

    @Option(
            names = "--config",
            description =
                    "model config as JSON or YAML (.yaml/.yml), sectioned as the jobs' model: (or the flat form of"
                            + " older saved configs); absent settings take defaults")
    Path config;

    @Option(
            names = "--preset",
            paramLabel = "NAME",
            description = "a named recipe, conf/presets/NAME.yaml (or a preset file's path): its model settings"
                    + " instead of --config, under the flags and --set; hstu train also takes its train: options"
                    + " (epochs, batchSize, patience, windowStride) where the command line gives none")
    String preset;

    /** The preset once read, so that the model and the run options come from one reading. */
    private Preset loadedPreset;

    @Option(
            names = "--set",
            paramLabel = "model.KEY=VALUE",
            description = "Override one model setting, e.g. --set model.stu.numLayers=4; after the flags below"
                    + " (keys: Model settings below)")
    Map<String, String> overrides = new LinkedHashMap<>();

    // The convenience flags of the benchmarks' recipe (bench/run, README): each is one key.

    @Option(names = "--encoder", paramLabel = "TYPE", description = "= --set model.encoder.type (HSTU or TRANSFORMER)")
    String encoder;

    @Option(names = "--max-seq-len", paramLabel = "N", description = "= --set model.encoder.maxSeqLen")
    String maxSeqLen;

    @Option(names = "--dropout", paramLabel = "RATE", description = "= --set model.stu.dropout")
    String dropout;

    @Option(names = "--input-dropout", paramLabel = "RATE", description = "= --set model.features.inputDropout")
    String inputDropout;

    @Option(names = "--lr", paramLabel = "RATE", description = "= --set model.optimizer.learningRate")
    String learningRate;

    @Option(names = "--time-bias", paramLabel = "BOOL", description = "= --set model.stu.relativeTimeBias")
    String relativeTimeBias;

    @Option(names = "--logq", paramLabel = "BOOL", description = "= --set model.task.logQCorrection")
    String logQCorrection;

    /** Lists every model key with its default below the usage of the command that mixes these options in. */
    @Spec(Spec.Target.MIXEE)
    void listSettings(CommandSpec command) {
        String keys = ConfigKeys.table(ConfigKeys.model()).replace("%", "%%").replace("\n", "%n");
        command.usageMessage().footer("%nModel settings (--set KEY=VALUE, defaults shown):%n" + keys);
    }

    /**
     * @return the settings to apply, keys without {@code model.}: the flags, then each {@code --set}
     * @throws IllegalArgumentException for a {@code --set} key without {@code model.}
     */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        putIfGiven(settings, "encoder.type", encoder);
        putIfGiven(settings, "encoder.maxSeqLen", maxSeqLen);
        putIfGiven(settings, "stu.dropout", dropout);
        putIfGiven(settings, "features.inputDropout", inputDropout);
        putIfGiven(settings, "optimizer.learningRate", learningRate);
        putIfGiven(settings, "stu.relativeTimeBias", relativeTimeBias);
        putIfGiven(settings, "task.logQCorrection", logQCorrection);
        overrides.forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                throw new IllegalArgumentException(
                        "--set " + key + ": model keys start with " + PREFIX + " (e.g. model.stu.numLayers=4)");
            }
            settings.put(key.substring(PREFIX.length()), value);
        });
        return settings;
    }

    private static void putIfGiven(Map<String, String> settings, String key, String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    /**
     * @return the file's config (or the defaults) with the settings applied, not yet validated
     * @throws IOException if the file cannot be read
     */
    public HstuConfig resolve() throws IOException {
        Preset chosen = preset();
        HstuConfig base = chosen != null ? chosen.model() : config == null ? HstuConfig.defaults() : read(config);
        Map<String, String> settings = settings();
        return settings.isEmpty() ? base : base.withSettings(settings);
    }

    /**
     * @return the preset named by {@code --preset}, read once; null without one
     * @throws IOException if its file cannot be read
     * @throws IllegalArgumentException for a missing or invalid preset, or one given with {@code --config}
     */
    public Preset preset() throws IOException {
        if (preset == null) {
            return null;
        }
        if (config != null) {
            throw new IllegalArgumentException("--preset " + preset + " and --config " + config
                    + " both give the model's settings: give one, and --set for what differs");
        }
        if (loadedPreset == null) {
            loadedPreset = Preset.load(preset);
        }
        return loadedPreset;
    }

    /**
     * @return the run options of {@code --preset}; {@link Preset.Run#NONE} without one
     * @throws IOException if its file cannot be read
     */
    public Preset.Run presetRun() throws IOException {
        Preset chosen = preset();
        return chosen == null ? Preset.Run.NONE : chosen.train();
    }

    /**
     * @param file a JSON or YAML (by extension) config file
     * @return the config, not yet validated
     * @throws IOException if the file cannot be read
     */
    public static HstuConfig read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = Files.readString(file);
        JsonNode tree = name.endsWith(".yaml") || name.endsWith(".yml")
                ? new YAMLMapper().readTree(text)
                : new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        return HstuConfig.fromTree(tree);
    }
}
