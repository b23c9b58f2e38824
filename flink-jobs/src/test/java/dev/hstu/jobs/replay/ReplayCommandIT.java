package dev.hstu.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.jobs.cli.Hstu;
import dev.hstu.model.cli.PredictCommand;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hstu replay} end to end on a MiniCluster: a seq.jsonl with a malformed line and a record without a
 * timestamp trains a model from its valid events and writes each refused line, with its reason and line number,
 * to replay-rejects.jsonl; the final version's manifest lands in the output directory. Users' profile rows carry
 * their {@code user_feat} to the job, where a malformed one is dead-lettered with the reason.
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
                line.append(e == 0 ? "" : ",")
                        .append('[')
                        .append(user)
                        .append(',')
                        .append(100 + (user * 7 + e) % 30)
                        .append(",null,null,")
                        .append(e % 2)
                        .append(',')
                        .append(900_000_000L + user * 100 + e)
                        .append(']');
            }
            lines.add(line.append(']').toString());
        }
        lines.add(2, "{not json");
        lines.add("[[7, 101, null, null, 1]]");
        // profile rows: user 1's features ride with its first replayed event, user 2's is malformed
        lines.set(
                0, lines.get(0).replaceFirst("\\[\\[", "[[1, null, {\"103\": 4, \"104\": [1, 2]}, null, 0, null], ["));
        lines.set(1, lines.get(1).replaceFirst("\\[\\[", "[[2, null, {\"103\": 1.5}, null, 0, null], ["));
        Path seq = dir.resolve("seq.jsonl");
        Files.write(seq, lines);
        Path out = dir.resolve("out");

        int exit = Hstu.commandLine()
                .execute(
                        "replay",
                        "--config",
                        "../conf/local.yaml",
                        "--data",
                        seq.toString(),
                        "--out",
                        out.toString(),
                        "--set",
                        "training.modelDir=" + dir.resolve("models"),
                        "--set",
                        "flink.checkpointDir=" + dir.resolve("checkpoints"),
                        "--set",
                        "model.encoder.embeddingDim=16",
                        "--set",
                        "model.stu.numLayers=1",
                        "--set",
                        "model.task.numNegatives=16",
                        "--set",
                        "training.batchSize=4",
                        "--set",
                        "model.features.userFeatures.slots=4",
                        "--set",
                        "model.features.userFeatures.buckets=64");

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
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .toList()) {
                for (String line : Files.readAllLines(f)) {
                    manifests.add(JsonCodec.fromBytes(line.getBytes(StandardCharsets.UTF_8), ModelVersion.class));
                }
            }
        }
        assertThat(manifests).anyMatch(ModelVersion::finalVersion);
        assertThat(manifests).allMatch(m -> m.trainedTargets() > 0);

        List<DeadLetter> parsed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out.resolve(ReplayJob.DEAD_LETTERS))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .toList()) {
                for (String line : Files.readAllLines(f)) {
                    parsed.add(JsonCodec.fromBytes(line.getBytes(StandardCharsets.UTF_8), DeadLetter.class));
                }
            }
        }
        assertThat(parsed)
                .extracting(DeadLetter::reason)
                .as("user 2's malformed user_feat reached the job's parser with its first event")
                .containsExactly("bad user_feat: feature 103 is 1.5 (an int or [ints])");
    }

    /**
     * MovieLens written as a seed directory (re-indexed ids, the last rating of each user held out) replays with the
     * ids mapped back to user and movie ids, then predicts for every user over every movie, scored against the
     * held-out ratings. The model takes a multimodal feature whose vectors the directory's {@code creative_emb/}
     * holds (synthetic ones: MovieLens has none); both the training and the prediction read them from there.
     */
    @Test
    void aSeedDirectoryReplaysInOriginalIdsAndPredictsForItsUsers() throws Exception {
        List<String> ratings = Files.readAllLines(Path.of("..", "data", "ml-latest-small", "ratings.csv"));
        // the first 40 users (the file is sorted by user)
        List<String> slice = ratings.stream().limit(1).toList();
        List<String> rows = ratings.stream()
                .skip(1)
                .filter(l -> Integer.parseInt(l.substring(0, l.indexOf(','))) <= 40)
                .toList();
        Path csv = dir.resolve("ratings.csv");
        Files.write(csv, Stream.concat(slice.stream(), rows.stream()).toList());
        Path seed = dir.resolve("seed");
        MovieLensSeqJsonl.SeedDirectory written =
                MovieLensSeqJsonl.writeSeedDirectory(csv, seed, MovieLensActions.clickAtOrAbove(4.0));
        assertThat(written.users()).isEqualTo(40);
        assertThat(written.heldOut()).isEqualTo(40);
        assertThat(written.events()).isEqualTo(rows.size() - 40);
        Set<Long> movies = new HashSet<>();
        rows.forEach(l -> movies.add(Long.parseLong(l.split(",")[1])));
        Path embeddings = Files.createDirectories(seed.resolve("creative_emb").resolve("emb_81_8"));
        List<String> vectors = new ArrayList<>();
        for (long movie : movies) {
            vectors.add(
                    "{\"anonymous_cid\":" + movie + ",\"emb\":[" + (movie % 5) + ",1,0,0,0,0,0," + (movie % 3) + "]}");
        }
        Files.write(embeddings.resolve("part-00000.json"), vectors);
        Path out = dir.resolve("out");

        int exit = Hstu.commandLine()
                .execute(
                        "replay",
                        "--config",
                        "../conf/local.yaml",
                        "--data",
                        seed.toString(),
                        "--out",
                        out.toString(),
                        "--set",
                        "training.modelDir=" + dir.resolve("models"),
                        "--set",
                        "flink.checkpointDir=" + dir.resolve("checkpoints"),
                        "--set",
                        "model.encoder.embeddingDim=16",
                        "--set",
                        "model.stu.numLayers=1",
                        "--set",
                        "model.task.numNegatives=16",
                        "--set",
                        "training.batchSize=16",
                        "--set",
                        "model.features.multimodalDims.81=8");

        assertThat(exit).isZero();
        assertThat(Files.readAllLines(out.resolve("replay-rejects.jsonl"))).isEmpty();
        Path version;
        try (Stream<Path> versions = Files.list(dir.resolve("models"))) {
            version = versions.filter(p -> p.getFileName().toString().startsWith("v-"))
                    .max(Path::compareTo)
                    .orElseThrow();
        }
        assertThat(HstuConfig.read(version.resolve(ModelFiles.CONFIG))
                        .features()
                        .multimodalDims())
                .isEqualTo(Map.of(81, 8));
        ItemVocabulary vocabulary = ItemVocabulary.load(ModelFiles.vocabulary(version));
        for (int row = ItemVocabulary.FIRST_ITEM; row < vocabulary.size(); row++) {
            assertThat(movies)
                    .as("the model's items are movie ids, not re-indexed ids")
                    .contains(vocabulary.idOf(row));
        }
        Path predict = out.resolve("predict");
        assertThat(EmbeddingFiles.readFbin(predict.resolve(PredictCommand.QUERY_FBIN)))
                .hasNumberOfRows(40);
        assertThat(EmbeddingFiles.readU64(predict.resolve(PredictCommand.QUERY_USER_IDS)))
                .containsExactlyInAnyOrder(LongStream.rangeClosed(1, 40).toArray());
        assertThat(EmbeddingFiles.readU64(predict.resolve(PredictCommand.CANDIDATE_IDS)))
                .hasSize(movies.size());
        assertThat(EmbeddingFiles.readU64Matrix(predict.resolve("id10.u64bin"))).hasNumberOfRows(40);
        JsonNode summary = new ObjectMapper()
                .readTree(predict.resolve(PredictCommand.SUMMARY).toFile());
        assertThat(summary.get("metrics").get("exact").get("users").asInt()).isEqualTo(40);
        assertThat(summary.get("hnswRecallOfExact").asDouble()).isGreaterThan(0.9);
    }
}
