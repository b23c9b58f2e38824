package dev.hstu.model.cli;

import dev.hstu.model.HstuModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The model settings of a command that runs a saved model: its saved config, with {@code --set model.runtime.*}
 * (device, seed, precision) changed; every other setting shapes the saved parameters and stays as saved.
 */
public final class SavedModelOptions {

    private static final String RUNTIME = ModelOptions.PREFIX + "runtime.";

    @Option(
            names = "--set",
            paramLabel = "model.runtime.KEY=VALUE",
            description = "Override a runtime setting of the saved model, e.g. --set model.runtime.device=gpu")
    Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * @param dir a model directory
     * @return the model, its runtime settings overridden
     * @throws IOException if a file is missing or malformed
     * @throws IllegalArgumentException for a key outside {@code model.runtime.}
     */
    public HstuModel load(Path dir) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        overrides.forEach((key, value) -> {
            if (!key.startsWith(RUNTIME)) {
                throw new IllegalArgumentException("--set " + key + ": a saved model takes only " + RUNTIME
                        + "* settings (the others shape its parameters)");
            }
            settings.put(key.substring(ModelOptions.PREFIX.length()), value);
        });
        return settings.isEmpty()
                ? HstuModel.load(dir)
                : HstuModel.load(dir, saved -> saved.withSettings(settings).validate());
    }
}
