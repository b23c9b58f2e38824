package dev.hstu.model.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.NegativeSampling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PresetTest {

    /** The repository's presets, seen from the model module's directory where the tests run. */
    private static final Path PRESETS = Path.of("..").resolve(Preset.DIRECTORY);

    @TempDir
    Path dir;

    @Test
    void everyPresetInConfIsAValidModelWithItsRunOptions() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(PRESETS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains("retrieval-small.yaml", "retrieval-large.yaml");
        for (Path file : files) {
            Preset preset = Preset.load(file.toString());
            preset.model().validate();
            assertThat(preset.train().epochs()).as("%s train.epochs", file).isNotNull();
            assertThat(preset.train().windowStride())
                    .as("%s train.windowStride", file)
                    .isNotNull();
        }
        Preset small = Preset.load(PRESETS.resolve("retrieval-small.yaml").toString());
        assertThat(small.model().task().negativeSampling()).isEqualTo(NegativeSampling.ALL);
        Preset large = Preset.load(PRESETS.resolve("retrieval-large.yaml").toString());
        assertThat(large.model().task().negativeSampling()).isNotEqualTo(NegativeSampling.ALL);
        assertThat(large.model().task().logQCorrection()).isTrue();
    }

    @Test
    void aPresetIsRefusedNamingItsFileAndEveryProblem() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "model:\n  stu:\n    layers: 3\ntrain:\n  epochs: 0\n  patience: -1\nrecipe: x\n");
        assertThatThrownBy(() -> Preset.load(bad.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("preset " + bad + ": ")
                .hasMessageContaining("unknown part recipe")
                .hasMessageContaining("train.epochs must be >= 1, got 0")
                .hasMessageContaining("train.patience must be >= 0, got -1")
                .hasMessageContaining("layers");
        Path unknownRun = dir.resolve("run.yaml");
        Files.writeString(unknownRun, "train:\n  epoch: 3\n");
        assertThatThrownBy(() -> Preset.load(unknownRun.toString()))
                .hasMessageStartingWith("preset " + unknownRun + ": train: ")
                .hasMessageContaining("\"epoch\"");
        assertThatThrownBy(() -> Preset.load("no-such-preset"))
                .hasMessageStartingWith("no preset no-such-preset: " + Preset.DIRECTORY.resolve("no-such-preset.yaml")
                        + " does not exist");
    }

    @Test
    void theCommandLineWinsOverThePresetAndAPresetExcludesAConfigFile() throws IOException {
        Path file = dir.resolve("p.yaml");
        Files.writeString(
                file, "model:\n  stu: {dropout: 0.3}\n  task: {temperature: 0.1}\ntrain: {epochs: 7, patience: 2}\n");
        ModelOptions options = new ModelOptions();
        new CommandLine(options).parseArgs("--preset", file.toString(), "--dropout", "0.4");
        HstuConfig config = options.resolve().validate();
        assertThat(config.stu().dropout()).as("the flag").isEqualTo(0.4f);
        assertThat(config.task().temperature()).as("the preset").isEqualTo(0.1f);
        assertThat(config.encoder().embeddingDim()).as("a default").isEqualTo(64);
        assertThat(options.presetRun()).isEqualTo(new Preset.Run(7, null, 2, null));

        ModelOptions both = new ModelOptions();
        new CommandLine(both).parseArgs("--preset", file.toString(), "--config", file.toString());
        assertThatThrownBy(both::resolve).hasMessageContaining("give one, and --set for what differs");
        assertThat(new ModelOptions().presetRun()).isEqualTo(Preset.Run.NONE);
    }

    @Test
    void trainTakesThePresetsRunOptionsWhereTheCommandLineGivesNone() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        SplittableRandom random = new SplittableRandom(3);
        for (int u = 1; u <= 10; u++) {
            for (int i = 0; i < 12; i++) {
                csv.append(u)
                        .append(',')
                        .append(1000 + random.nextInt(20))
                        .append(",4.0,")
                        .append(1_000_000 + u * 10_000 + i * 60)
                        .append('\n');
            }
        }
        Files.writeString(ratings, csv);
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "model:",
                        "  encoder: {embeddingDim: 16, maxSeqLen: 8}",
                        "  stu: {numLayers: 1, numHeads: 2, attentionDim: 8, linearDim: 8}",
                        "  task: {negativeSampling: ALL}",
                        "train: {epochs: 3, batchSize: 4, windowStride: 4}",
                        ""));
        Path models = dir.resolve("models");
        OfflineCliTest.run(
                new TrainCommand(),
                "--data",
                ratings.toString(),
                "--preset",
                file.toString(),
                "--out",
                models.toString(),
                "--epochs",
                "2");
        Path version = models.resolve("v-00000001");
        JsonNode metrics = new ObjectMapper()
                .readTree(version.resolve(TrainCommand.METRICS).toFile());
        assertThat(metrics.get("epochs")).as("--epochs 2 over the preset's 3").hasSize(2);
        HstuConfig saved = HstuConfig.read(version.resolve("config.json"));
        assertThat(saved.task().negativeSampling()).isEqualTo(NegativeSampling.ALL);
        assertThat(saved.encoder().maxSeqLen()).isEqualTo(8);
        // 10 users with 10 training events each: windows of 8 ending 4 apart are 2 per user, 5 steps of 4 a epoch
        assertThat(saved.optimizer().totalSteps())
                .as("2 epochs of the preset's batch and stride")
                .isEqualTo(2 * 5 + 1);
        for (JsonNode epoch : metrics.get("epochs")) {
            assertThat(epoch.get("meanLoss").asDouble()).isFinite().isPositive();
        }
    }
}
