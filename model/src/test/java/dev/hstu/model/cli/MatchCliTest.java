package dev.hstu.model.cli;

import static dev.hstu.model.cli.OfflineCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.model.HstuModel;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.tasks.match.ItemTowerInputs;
import dev.hstu.model.tasks.match.MatchTask;
import dev.hstu.model.train.Autograd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --task match} through the commands: train and eval read the genres of movies.csv into the item tower,
 * export writes the tower's vectors of the whole catalogue (movies nobody rated too), and predict scores a candidate
 * without an id row from its features.
 */
class MatchCliTest {

    /** Movies 1000..1029 are rated; 1030..1034 are only in movies.csv. */
    private static final int RATED = 30;

    private static final int CATALOGUE = 35;

    @TempDir
    Path dir;

    @Test
    void trainEvalExportAndPredictUseTheItemTowerAndEmbedUnratedMoviesFromTheirGenres() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        SplittableRandom random = new SplittableRandom(5);
        for (int u = 1; u <= 12; u++) {
            for (int i = 0; i < 8; i++) {
                csv.append(u).append(',').append(1000 + random.nextInt(RATED)).append(",4.0,");
                csv.append(1_000_000 + u * 10_000 + i * 60).append('\n');
            }
        }
        Files.writeString(ratings, csv);
        StringBuilder movies = new StringBuilder("movieId,title,genres\n");
        for (int m = 1000; m < 1000 + CATALOGUE; m++) {
            movies.append(m).append(",Movie ").append(m).append(" (1999),");
            movies.append(m % 3 == 0 ? "Drama|Comedy" : m % 3 == 1 ? "Sci-Fi" : "Horror")
                    .append('\n');
        }
        Path moviesCsv = dir.resolve("movies.csv");
        Files.writeString(moviesCsv, movies);
        Path config = dir.resolve("model.yaml");
        Files.writeString(
                config, "embeddingDim: 16\nnumLayers: 1\nnumHeads: 2\nattentionDim: 8\nlinearDim: 8\nmaxSeqLen: 10\n");
        Path models = dir.resolve("models");
        String trained = run(
                new TrainCommand(),
                "--ratings",
                ratings.toString(),
                "--config",
                config.toString(),
                "--out",
                models.toString(),
                "--epochs",
                "2",
                "--batch-size",
                "4",
                "--task",
                "match",
                "--set",
                "model.task.numNegatives=8",
                "--set",
                "model.match.genres.count=19",
                "--set",
                "model.match.hiddenUnits=[16]");
        assertThat(trained).contains("R@1=").contains("R@50=");
        Path v1 = ModelStore.resolve(models);
        JsonNode metrics =
                new ObjectMapper().readTree(v1.resolve(TrainCommand.METRICS).toFile());
        assertThat(metrics.get("test").has("recall10")).isTrue();
        for (JsonNode epoch : metrics.get("epochs")) {
            assertThat(Double.isFinite(epoch.get("meanLoss").asDouble())).isTrue();
        }
        assertThat(run(new EvalCommand(), "--ratings", ratings.toString(), "--model", v1.toString()))
                .contains("model        HR@10=")
                .contains("R@5=");

        Path export = dir.resolve("export");
        String exported = run(
                new ExportCommand(),
                "--ratings",
                ratings.toString(),
                "--model",
                v1.toString(),
                "--out",
                export.toString(),
                "--k",
                "5");
        float[][] vectors = EmbeddingFiles.readFbin(export.resolve(ExportCommand.ITEM_FBIN));
        long[] ids = EmbeddingFiles.readU64(export.resolve(ExportCommand.ITEM_IDS));
        assertThat(ids).hasSize(CATALOGUE).contains(1030L, 1031L, 1032L, 1033L, 1034L);
        assertThat(vectors).hasNumberOfRows(CATALOGUE);
        assertThat(exported).contains("without an id row");
        ItemVocabulary vocabulary = ItemVocabulary.load(ModelFiles.vocabulary(v1));
        try (HstuModel model = HstuModel.load(v1)) {
            MatchTask match = (MatchTask) model.task();
            Autograd.disableOnThisThread();
            for (int i = 0; i < ids.length; i++) {
                long id = ids[i];
                int mask = id % 3 == 0 ? (1 << 7) | (1 << 4) : id % 3 == 1 ? 1 << 15 : 1 << 10;
                float[] tower;
                try (NDScope ignored = new NDScope()) {
                    tower = match.embed(
                                    model,
                                    new ItemTowerInputs(new long[] {vocabulary.indexOf(id)}, List.of(new int[] {mask})))
                            .toFloatArray();
                }
                assertThat(vectors[i])
                        .as("item %d: the export is the tower's output", id)
                        .containsExactly(tower, within(1e-5f));
                assertThat(norm(vectors[i])).as("item %d", id).isCloseTo(1.0, within(1e-4));
            }
        }

        Path seed = Files.createDirectories(dir.resolve("seed"));
        StringBuilder predictSeq = new StringBuilder();
        for (int u = 1; u <= 3; u++) {
            predictSeq.append("[[").append(u).append(",1000,null,null,1,1000000],[");
            predictSeq.append(u).append(",1003,null,null,1,1000060]]\n");
        }
        StringBuilder predictSet = new StringBuilder();
        for (int m = 1000; m < 1000 + CATALOGUE; m++) {
            predictSet
                    .append("{\"creative_id\":")
                    .append(m)
                    .append(",\"retrieval_id\":")
                    .append(m + 6000);
            predictSet.append(",\"features\":{}}\n");
        }
        Files.writeString(seed.resolve("predict_seq.jsonl"), predictSeq);
        Files.writeString(seed.resolve("predict_set.jsonl"), predictSet);
        Path out = dir.resolve("predicted");
        String predicted = run(
                new PredictCommand(),
                "--model",
                v1.toString(),
                "--data",
                seed.toString(),
                "--out",
                out.toString(),
                "--k",
                "34",
                "--retrieval",
                "exact",
                "--include-seen",
                "--item-file",
                "movies=" + moviesCsv);
        assertThat(predicted).contains("35 candidates, 35 with an item embedding");
        float[][] candidates = EmbeddingFiles.readFbin(out.resolve(PredictCommand.CANDIDATE_FBIN));
        for (int c = 0; c < CATALOGUE; c++) {
            assertThat(candidates[c])
                    .as("candidate %d", 1000 + c)
                    .containsExactly(vectors[indexOf(ids, 1000 + c)], within(1e-5f));
        }
        long[][] top = EmbeddingFiles.readU64Matrix(out.resolve("exact-id34.u64bin"));
        assertThat(top[0]).as("an unrated movie is recommended like any other").containsAnyOf(7030L, 7031L, 7032L);
    }

    private static int indexOf(long[] ids, long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new AssertionError("no id " + id);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
