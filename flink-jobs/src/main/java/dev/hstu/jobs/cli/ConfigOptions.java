package dev.hstu.jobs.cli;

import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every job command shares: one configuration file plus command-line overrides. */
public final class ConfigOptions {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            defaultValue = "conf/local.yaml",
            description = "Job configuration (YAML). Default: ${DEFAULT-VALUE}")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Override one setting, e.g. --set sequence.maxLength=100 --set model.stu.numLayers=4 (the model's"
                            + " keys and defaults: hstu train --help)")
    Map<String, String> overrides = new LinkedHashMap<>();

    public JobConfig load() {
        return ConfigLoader.load(config, overrides);
    }
}
