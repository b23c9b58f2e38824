package dev.hstu.model.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hstu train --task ranking} and {@code hstu eval} of the ranking model on a small ratings file. */
class RankingCliTest {

    @TempDir
    Path dir;

    @Test
    void trainsAndEvaluatesPerTask() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        SplittableRandom random = new SplittableRandom(5);
        for (int u = 1; u <= 10; u++) {
            for (int i = 0; i < 16; i++) {
                csv.append(u)
                        .append(',')
                        .append(1000 + random.nextInt(30))
                        .append(',')
                        .append(1 + random.nextInt(5))
                        .append(".0,")
                        .append(1_000_000 + u * 10_000 + i * 60)
                        .append('\n');
            }
        }
        // a user too short for a sample
        csv.append("11,1000,5.0,2000000\n");
        Files.writeString(ratings, csv);
        Path models = dir.resolve("models");
        String small = "--set=model.encoder.embeddingDim=16";
        String trainOut = OfflineCliTest.run(
                new TrainCommand(),
                "--task",
                "ranking",
                "--ratings",
                ratings.toString(),
                "--out",
                models.toString(),
                "--epochs",
                "2",
                "--batch-size",
                "4",
                "--window-events",
                "4",
                "--max-seq-len",
                "12",
                small,
                "--set",
                "model.stu.numLayers=1",
                "--set",
                "model.ranking.hiddenUnits=[8]");
        // 16 events in windows of 4: test, validation and 2 training windows per user
        assertThat(trainOut)
                .contains("samples train=20 validation=10 test=10 (1 users too short)")
                .contains("epoch 2: loss")
                .contains("click      AUC")
                .contains("like       AUC")
                .contains("wrote");
        Path v1 = models.resolve("v-00000001");
        JsonNode metrics =
                new ObjectMapper().readTree(v1.resolve(TrainCommand.METRICS).toFile());
        assertThat(metrics.get("task").asText()).isEqualTo("ranking");
        assertThat(metrics.at("/ratingActions/clickRating").asDouble()).isEqualTo(4.0);
        assertThat(metrics.at("/test/tasks/0/name").asText()).isEqualTo("click");
        assertThat(metrics.at("/test/candidates").asInt()).isEqualTo(40);
        assertThat(new ObjectMapper()
                        .readTree(v1.resolve("config.json").toFile())
                        .at("/ranking/tasks/1/bitmask")
                        .asInt())
                .isEqualTo(2);

        String evalOut = OfflineCliTest.run(
                new EvalCommand(),
                "--model",
                models.toString(),
                "--ratings",
                ratings.toString(),
                "--window-events",
                "4");
        assertThat(evalOut)
                .contains("test split: 10 samples, 40 candidates")
                .containsPattern("click +AUC \\d\\.\\d{4}  GAUC \\d\\.\\d{4} \\(\\d+ users\\)  NE \\d\\.\\d{4}")
                .contains("like       AUC");
        // the eval of the saved best epoch reproduces the test metrics training reported
        double auc = metrics.at("/test/tasks/0/binary/auc").asDouble();
        assertThat(evalOut).contains(String.format(java.util.Locale.ROOT, "AUC %.4f", auc));
    }

    @Test
    void aRetrievalTaskWithARankingSectionIsRefused() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new TrainCommand())
                    .execute(
                            "--task",
                            "retrieval",
                            "--set",
                            "model.ranking.layerNorm=false",
                            "--ratings",
                            "x.csv",
                            "--out",
                            "y");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "--task must be retrieval, ranking or match, got retrieval with a model.ranking or model.match section");
        assertThat(Path.of("y")).as("a refused run creates no model directory").doesNotExist();
    }
}
