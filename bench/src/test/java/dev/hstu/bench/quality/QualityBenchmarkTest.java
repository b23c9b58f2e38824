package dev.hstu.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The quality benchmark on a small sequence text file, trained for real: the results file, its JSON twin and the
 * validation chart, with each method's per-seed figures and their mean ± std for every metric.
 */
class QualityBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void anyInteractionFileGivesPerSeedFiguresTheirMeanAndStdAndTheValidationCurve() throws Exception {
        Path data = dir.resolve("tiny").resolve("events.txt");
        Files.createDirectories(data.getParent());
        StringBuilder lines = new StringBuilder();
        SplittableRandom random = new SplittableRandom(3);
        for (int u = 1; u <= 16; u++) {
            lines.append(u);
            for (int i = 0; i < 8; i++) {
                lines.append(' ').append(1 + random.nextInt(25));
            }
            lines.append('\n');
        }
        Files.writeString(data, lines);
        Path results = dir.resolve("results").resolve("quality-tiny.md");
        int code = new CommandLine(new QualityBenchmark())
                .execute(
                        "--data", data.toString(),
                        "--results", results.toString(),
                        "--epochs", "2",
                        "--seeds", "2",
                        "--batch-size", "8",
                        "--set", "model.encoder.embeddingDim=16",
                        "--set", "model.encoder.maxSeqLen=10",
                        "--set", "model.stu.numLayers=1",
                        "--set", "model.stu.attentionDim=8",
                        "--set", "model.stu.linearDim=8",
                        "--set", "model.task.numNegatives=8");
        assertThat(code).isZero();
        assertThat(QualityBenchmark.defaultName(data)).isEqualTo("tiny");

        String md = Files.readString(results);
        assertThat(md)
                .startsWith("# Quality: HSTU vs Transformer vs most-popular on tiny")
                .contains("(sequence-text, no timestamps")
                .contains("16 users")
                .contains("![validation NDCG@10 per epoch and run](quality-tiny-validation.png)");
        BufferedImage chart = ImageIO.read(
                results.resolveSibling("quality-tiny-validation.png").toFile());
        assertThat(chart.getWidth()).isPositive();

        JsonNode twin = new ObjectMapper()
                .readTree(results.resolveSibling("quality-tiny.json").toFile());
        JsonNode means = table(twin, "Test metrics, mean ± std over seeds");
        JsonNode perSeed = table(twin, "Test metrics per seed");
        assertThat(means).hasSize(3);
        for (String method : List.of("HSTU", "TRANSFORMER")) {
            JsonNode mean = row(means, method);
            assertThat(mean.get("runs").asInt()).isEqualTo(2);
            List<JsonNode> seeds = new ArrayList<>();
            perSeed.forEach(r -> {
                if (r.get("method").asText().equals(method)) {
                    seeds.add(r);
                }
            });
            assertThat(seeds).extracting(r -> r.get("seed").asLong()).containsExactly(42L, 43L);
            for (QualitySeedStats.Metric metric : QualitySeedStats.METRICS) {
                double a = seeds.get(0).get(metric.name()).asDouble();
                double b = seeds.get(1).get(metric.name()).asDouble();
                assertThat(mean.get(metric.name()).get("mean").asDouble())
                        .as(method + " " + metric.name())
                        .isCloseTo((a + b) / 2, within(1e-4));
                assertThat(mean.get(metric.name()).get("std").asDouble())
                        .isCloseTo(Math.abs(a - b) / Math.sqrt(2), within(1e-4));
            }
        }
        assertThat(row(means, "most-popular").get("HR@10").isNumber()).isTrue();
        JsonNode curve = table(twin, "Validation NDCG@10 per epoch");
        assertThat(curve).hasSize(2);
        assertThat(curve.get(1).get("HSTU seed 43 val NDCG@10").isNumber()).isTrue();
    }

    private static JsonNode table(JsonNode twin, String heading) {
        for (JsonNode section : twin.get("sections")) {
            if (section.get("heading").asText().equals(heading)) {
                return section.get("tables").get(0);
            }
        }
        throw new AssertionError("no section " + heading + " in " + twin);
    }

    private static JsonNode row(JsonNode table, String method) {
        for (JsonNode r : table) {
            if (r.get("method").asText().equals(method)) {
                return r;
            }
        }
        throw new AssertionError("no row " + method);
    }
}
