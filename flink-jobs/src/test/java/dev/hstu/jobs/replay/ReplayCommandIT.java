package dev.hstu.jobs.replay;

import dev.hstu.jobs.cli.Hstu;
import dev.hstu.jobs.train.ModelVersion;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hstu replay} end to end on a MiniCluster: a seq.jsonl with a malformed line and a record without a
 * timestamp trains a model from its valid events and writes each refused line, with its reason and line number,
 * to replay-rejects.jsonl; the final version's manifest lands in the output directory.
 */
class ReplayCommandIT {

    @TempDir
    Path dir;

    @Test
    void trainsFromTheValidEventsAndDeadLettersTheRestWithTheirReasons() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int user = 1; user <= 6; user++) {
            StringBuilder line = new StringBuilder("[");
            for (int e = 0; e < 12; e++) {
                line.append(e == 0 ? "" : ",").append('[').append(user).append(',').append(100 + (user * 7 + e) % 30)
                        .append(",null,null,").append(e % 2).append(',').append(900_000_000L + user * 100 + e)
                        .append(']');
            }
            lines.add(line.append(']').toString());
        }
        lines.add(2, "{not json");
        lines.add("[[7, 101, null, null, 1]]");
        Path seq = dir.resolve("seq.jsonl");
        Files.write(seq, lines);
        Path out = dir.resolve("out");

        int exit = Hstu.commandLine().execute("replay", "--config", "../conf/local.yaml", "--data", seq.toString(),
                "--out", out.toString(),
                "--set", "training.modelDir=" + dir.resolve("models"),
                "--set", "flink.checkpointDir=" + dir.resolve("checkpoints"),
                "--set", "model.embeddingDim=16", "--set", "model.numLayers=1", "--set", "model.numNegatives=16",
                "--set", "training.batchSize=4");

        assertThat(exit).isZero();
        List<DeadLetter> rejects = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("replay-rejects.jsonl"))) {
            rejects.add(JsonCodec.fromBytes(line.getBytes(StandardCharsets.UTF_8), DeadLetter.class));
        }
        assertThat(rejects).extracting(DeadLetter::sourceOffset).containsExactly(3L, 8L);
        assertThat(rejects.get(0).reason()).isNotBlank();
        assertThat(rejects.get(0).raw()).isEqualTo("{not json");
        assertThat(rejects.get(1).reason()).containsIgnoringCase("timestamp");

        List<ModelVersion> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out.resolve(ReplayJob.MODEL_UPDATES))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    manifests.add(JsonCodec.fromBytes(line.getBytes(StandardCharsets.UTF_8), ModelVersion.class));
                }
            }
        }
        assertThat(manifests).anyMatch(ModelVersion::finalVersion);
        assertThat(manifests).allMatch(m -> m.trainedTargets() > 0);
    }
}
