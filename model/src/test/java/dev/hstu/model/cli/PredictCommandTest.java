package dev.hstu.model.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 12;
    private static final int K = 5;

    @TempDir
    Path dir;

    /**
     * A model trained on creative ids 1000-1029 predicts for a seed directory written in re-indexed ids: user u is
     * reid 100+u, creative 1000+j is reid j+1. The candidates are the 30 creatives plus one the model never saw.
     */
    @Test
    void writesTheSeedsOutputsAndExactAndHnswAgreeOnASmallCandidateSet() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder predictSeq = new StringBuilder();
        List<Set<Long>> history = new ArrayList<>();
        for (int u = 1; u <= USERS; u++) {
            Set<Long> seen = new HashSet<>();
            predictSeq.append('[');
            for (int i = 0; i < 8; i++) {
                long creative = 1000 + (u * 8 + i) % 30;
                long ts = 1_000_000 + u * 10_000L + i * 60;
                csv.append(u)
                        .append(',')
                        .append(creative)
                        .append(",4.0,")
                        .append(ts)
                        .append('\n');
                predictSeq
                        .append(i == 0 ? "" : ",")
                        .append('[')
                        .append(100 + u)
                        .append(',')
                        .append(creative - 999)
                        .append(",null,null,1,")
                        .append(ts)
                        .append(']');
                seen.add(creative);
            }
            predictSeq.append("]\n");
            history.add(seen);
        }
        Files.writeString(ratings, csv);
        Path config = dir.resolve("model.yaml");
        Files.writeString(
                config, "embeddingDim: 16\nnumLayers: 1\nnumHeads: 2\nattentionDim: 8\nlinearDim: 8\nmaxSeqLen: 10\n");
        Path models = dir.resolve("models");
        run(
                new TrainCommand(),
                "--ratings",
                ratings.toString(),
                "--config",
                config.toString(),
                "--out",
                models.toString(),
                "--epochs",
                "1",
                "--batch-size",
                "4",
                "--set",
                "model.task.numNegatives=8");

        Path seed = Files.createDirectories(dir.resolve("seed"));
        StringBuilder users = new StringBuilder();
        StringBuilder items = new StringBuilder();
        StringBuilder predictSet = new StringBuilder();
        StringBuilder truth = new StringBuilder();
        for (int u = 1; u <= USERS; u++) {
            users.append(u == 1 ? "" : ",").append("\"").append(u).append("\":").append(100 + u);
            truth.append("{\"user_id\":")
                    .append(u)
                    .append(",\"creative_id\":")
                    .append(1000 + u)
                    .append("}\n");
        }
        for (int j = 0; j < 30; j++) {
            items.append(j == 0 ? "" : ",")
                    .append("\"")
                    .append(1000 + j)
                    .append("\":")
                    .append(j + 1);
            predictSet
                    .append("{\"creative_id\":")
                    .append(1000 + j)
                    .append(",\"retrieval_id\":")
                    .append(7000 + j)
                    .append(",\"features\":{}}\n");
        }
        predictSet.append("{\"creative_id\":\"5555\",\"retrieval_id\":\"7999\",\"features\":{\"112\":3}}\n");
        Files.writeString(seed.resolve("indexer.json"), "{\"u\":{" + users + "},\"i\":{" + items + "},\"f\":{}}");
        Files.writeString(seed.resolve("predict_seq.jsonl"), predictSeq);
        Files.writeString(seed.resolve("predict_set.jsonl"), predictSet);
        Files.writeString(dir.resolve("heldout.jsonl"), truth);

        Path out = dir.resolve("out");
        String printed = run(
                new PredictCommand(),
                "--model",
                models.toString(),
                "--data",
                seed.toString(),
                "--out",
                out.toString(),
                "--k",
                Integer.toString(K),
                "--hnsw-ef-search",
                "64",
                "--truth",
                dir.resolve("heldout.jsonl").toString());

        assertThat(printed).contains("31 candidates, 30 with an item embedding (1 unknown to the model");
        float[][] queries = EmbeddingFiles.readFbin(out.resolve(PredictCommand.QUERY_FBIN));
        assertThat(queries).hasNumberOfRows(USERS);
        assertThat(EmbeddingFiles.readU64(out.resolve(PredictCommand.QUERY_USER_IDS)))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        float[][] candidates = EmbeddingFiles.readFbin(out.resolve(PredictCommand.CANDIDATE_FBIN));
        long[] retrievalIds = EmbeddingFiles.readU64(out.resolve(PredictCommand.CANDIDATE_IDS));
        assertThat(candidates).hasNumberOfRows(31);
        assertThat(retrievalIds).hasSize(31);
        assertThat(retrievalIds[0]).isEqualTo(7000);
        assertThat(retrievalIds[30]).isEqualTo(7999);
        assertThat(candidates[30]).containsOnly(0f);
        assertThat(norm(candidates[3])).isCloseTo(1.0, within(1e-4));
        JsonNode retrievalToCreative =
                JSON.readTree(out.resolve(PredictCommand.RETRIEVAL_TO_CREATIVE).toFile());
        assertThat(retrievalToCreative.get("7003").asLong()).isEqualTo(1003);
        assertThat(retrievalToCreative.get("7999").asLong()).isEqualTo(5555);

        long[][] exact = EmbeddingFiles.readU64Matrix(out.resolve("exact-id" + K + ".u64bin"));
        long[][] hnsw = EmbeddingFiles.readU64Matrix(out.resolve("id" + K + ".u64bin"));
        assertThat(exact).hasNumberOfRows(USERS);
        assertThat(hnsw).isDeepEqualTo(exact);
        for (int q = 0; q < USERS; q++) {
            assertThat(exact[q])
                    .as("user %d", q + 1)
                    .containsExactly(bruteForce(queries[q], candidates, history.get(q)));
        }
        JsonNode summary = JSON.readTree(out.resolve(PredictCommand.SUMMARY).toFile());
        assertThat(summary.get("hnswRecallOfExact").asDouble()).isEqualTo(1.0);
        assertThat(summary.get("metrics").get("exact").get("users").asInt()).isEqualTo(USERS);
        assertThat(summary.get("metrics").get("hnsw").get("hr@" + K).asDouble())
                .isEqualTo(summary.get("metrics").get("exact").get("hr@" + K).asDouble());
        List<String> topk = Files.readAllLines(out.resolve(PredictCommand.TOPK));
        assertThat(topk).hasSize(2 * USERS);
        JsonNode first = JSON.readTree(topk.get(0));
        assertThat(first.get("user_id").asLong()).isEqualTo(1);
        assertThat(first.get("method").asText()).isEqualTo("exact");
        assertThat(first.get("creative_ids").get(0).asLong() + 6000)
                .isEqualTo(first.get("retrieval_ids").get(0).asLong());
    }

    /**
     * A model with user-feature slots reads each user's {@code user_feat} from predict_seq.jsonl: users with the same
     * history get the same query only when their features are the same.
     */
    @Test
    void userFeaturesOfPredictSeqReachTheQueries() throws Exception {
        HstuConfig config = HstuConfig.defaults()
                .with("items.capacity", 20)
                .with("encoder.embeddingDim", 16)
                .with("stu.numLayers", 1)
                .with("stu.numHeads", 2)
                .with("encoder.maxSeqLen", 10)
                .with("features.userFeatures.slots", 2)
                .with("features.userFeatures.buckets", 16)
                .validate();
        ItemVocabulary vocabulary = new ItemVocabulary(20);
        for (long item = 500; item < 510; item++) {
            vocabulary.indexOrAssign(item);
        }
        Path model = dir.resolve("model");
        try (HstuModel created = HstuModel.create(config)) {
            created.save(model);
        }
        vocabulary.save(model.resolve(ModelFiles.VOCABULARY));
        Path seed = Files.createDirectories(dir.resolve("seed"));
        String history = "[%d, 501, null, null, 1, 100], [%d, 502, null, null, 0, 200], [%d, 503, null, null, 1, 300]";
        StringBuilder lines = new StringBuilder();
        String[] profiles = {"{\"103\": 1}", "{\"103\": 2}", "null", "{\"103\": \"1\"}"};
        for (int u = 1; u <= 4; u++) {
            lines.append("[[")
                    .append(u)
                    .append(", null, ")
                    .append(profiles[u - 1])
                    .append(", null, 0, null], ")
                    .append(String.format(history, u, u, u))
                    .append("]\n");
        }
        Files.writeString(seed.resolve("predict_seq.jsonl"), lines);
        StringBuilder candidates = new StringBuilder();
        for (int j = 0; j < 10; j++) {
            candidates
                    .append("{\"creative_id\":")
                    .append(500 + j)
                    .append(",\"retrieval_id\":")
                    .append(j + 1)
                    .append("}\n");
        }
        Files.writeString(seed.resolve("predict_set.jsonl"), candidates);

        Path out = dir.resolve("out");
        run(
                new PredictCommand(),
                "--model",
                model.toString(),
                "--data",
                seed.toString(),
                "--out",
                out.toString(),
                "--k",
                "3",
                "--retrieval",
                "exact");

        float[][] queries = EmbeddingFiles.readFbin(out.resolve(PredictCommand.QUERY_FBIN));
        assertThat(EmbeddingFiles.readU64(out.resolve(PredictCommand.QUERY_USER_IDS)))
                .containsExactly(1, 2, 3, 4);
        assertThat(queries[0]).as("other features, other query").isNotEqualTo(queries[1]);
        assertThat(queries[0]).as("no features").isNotEqualTo(queries[2]);
        assertThat(queries[3]).as("the same feature, as a string").containsExactly(queries[0]);
    }

    /** The retrieval ids of the K best candidates by dot product, the user's seen ones and the unknown one left out. */
    private static long[] bruteForce(float[] query, float[][] candidates, Set<Long> seen) {
        List<Integer> rows = new ArrayList<>();
        for (int c = 0; c < 30; c++) {
            if (!seen.contains(1000L + c)) {
                rows.add(c);
            }
        }
        rows.sort((a, b) -> Float.compare(dot(query, candidates[b]), dot(query, candidates[a])));
        return rows.stream().limit(K).mapToLong(c -> 7000L + c).toArray();
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static String run(Object command, String... args) {
        return OfflineCliTest.run(command, args);
    }
}
