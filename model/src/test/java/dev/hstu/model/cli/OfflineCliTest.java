package dev.hstu.model.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.store.ModelDirectoryLock;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.ActionEncoding;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.RankLoss;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.io.InteractionFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OfflineCliTest {

    @TempDir
    Path dir;

    @Test
    void trainEvalExportRoundTripOnARatingsFile() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        SplittableRandom random = new SplittableRandom(5);
        for (int u = 1; u <= 12; u++) {
            for (int i = 0; i < 8; i++) {
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
        Files.writeString(ratings, csv);
        Path config = dir.resolve("model.yaml");
        Files.writeString(
                config, "embeddingDim: 16\nnumLayers: 1\nnumHeads: 2\nattentionDim: 8\nlinearDim: 8\nmaxSeqLen: 10\n");
        Path models = dir.resolve("models");

        String trainOut = run(
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
                "--log-every",
                "1",
                "--set",
                "model.task.numNegatives=8");
        assertThat(trainOut)
                .contains("epoch 1/2 step 1/3")
                .contains("steps/s")
                .contains("ETA")
                .contains("wrote");
        Path v1 = models.resolve("v-00000001");
        assertThat(v1.resolve("config.json")).exists();
        assertThat(v1.resolve(ModelFiles.VOCABULARY)).exists();
        JsonNode metrics =
                new ObjectMapper().readTree(v1.resolve(TrainCommand.METRICS).toFile());
        assertThat(metrics.get("test").get("users").asInt()).isEqualTo(12);
        assertThat(metrics.get("epochs").size()).isEqualTo(2);
        assertThat(new ObjectMapper()
                        .readTree(v1.resolve("config.json").toFile())
                        .at("/encoder/embeddingDim")
                        .asInt())
                .isEqualTo(16);

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
                "--encoder",
                "TRANSFORMER");
        assertThat(models.resolve("v-00000002")).isDirectory();
        assertThat(ModelStore.resolve(models)).isEqualTo(models.resolve("v-00000002"));
        try (var listing = Files.list(models)) {
            assertThat(listing.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(ModelDirectoryLock.FILE, "v-00000001", "v-00000002");
        }

        String evalOut = run(
                new EvalCommand(),
                "--ratings",
                ratings.toString(),
                "--model",
                v1.toString(),
                "--set",
                "model.runtime.device=cpu");
        assertThat(evalOut)
                .contains("model        HR@10=")
                .contains("most-popular HR@10=")
                .contains("users=12");

        Path export = dir.resolve("export");
        run(
                new ExportCommand(),
                "--ratings",
                ratings.toString(),
                "--model",
                v1.toString(),
                "--out",
                export.toString(),
                "--k",
                "5");
        float[][] items = EmbeddingFiles.readFbin(export.resolve(ExportCommand.ITEM_FBIN));
        long[] itemIds = EmbeddingFiles.readU64(export.resolve(ExportCommand.ITEM_IDS));
        assertThat(items).hasNumberOfRows(itemIds.length);
        assertThat(items[0]).hasSize(16);
        assertThat(java.util.Arrays.stream(itemIds).allMatch(id -> id >= 1000 && id < 1030))
                .isTrue();
        float[][] queries = EmbeddingFiles.readFbin(export.resolve(ExportCommand.QUERY_FBIN));
        assertThat(EmbeddingFiles.readU64(export.resolve(ExportCommand.USER_IDS)))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(queries).hasNumberOfRows(12);
        List<String> topk = Files.readAllLines(export.resolve(ExportCommand.TOPK));
        assertThat(topk).hasSize(12);
        JsonNode first = new ObjectMapper().readTree(topk.get(0));
        assertThat(first.get("user_id").asLong()).isEqualTo(1);
        assertThat(first.get("items").size()).isEqualTo(5);
        assertThat(first.get("scores").size()).isEqualTo(5);
        // the best score is the cosine of the user's query with that item's exported embedding
        long best = first.get("items").get(0).asLong();
        int row = 0;
        while (itemIds[row] != best) {
            row++;
        }
        double dot = 0;
        for (int i = 0; i < 16; i++) {
            dot += queries[0][i] * items[row][i];
        }
        assertThat(dot).isCloseTo(first.get("scores").get(0).asDouble(), org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    void theSeedFeatureSwitchesTrainAndEvaluateFromFlagsWithTheMultimodalFileGivenToEachCommand() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder emb = new StringBuilder();
        SplittableRandom random = new SplittableRandom(6);
        for (int u = 1; u <= 8; u++) {
            for (int i = 0; i < 6; i++) {
                csv.append(u)
                        .append(',')
                        .append(1000 + random.nextInt(20))
                        .append(",4.0,")
                        .append(1_000_000 + u * 10_000 + i * 60)
                        .append('\n');
            }
        }
        for (int item = 1000; item < 1015; item++) { // the rest of the items have no vector
            emb.append("{\"anonymous_cid\": ")
                    .append(item)
                    .append(", \"emb\": [")
                    .append(random.nextGaussian())
                    .append(", ")
                    .append(random.nextGaussian())
                    .append("]}\n");
        }
        Files.writeString(ratings, csv);
        Path embeddings = dir.resolve("emb_81.json");
        Files.writeString(embeddings, emb);
        Path config = dir.resolve("model.yaml");
        Files.writeString(
                config,
                "embeddingDim: 16\nnumLayers: 1\nnumHeads: 2\nattentionDim: 8\nlinearDim: 8\nmaxSeqLen: 10\nnumActions: 8\n");
        Path models = dir.resolve("models");

        String trainOut = run(
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
                "model.task.numNegatives=8",
                "--set",
                "model.features.actions.encoding=bits",
                "--set",
                "model.features.actions.bitWeights=[1,0.5,2]",
                "--set",
                "model.features.gating={}",
                "--set",
                "model.features.gating.reduction=3",
                "--set",
                "model.features.multimodalDims={81: 2}",
                "--multimodal",
                "81=" + embeddings);
        assertThat(trainOut).contains("multimodal feature 81: 15 vectors in").contains("wrote");
        Path v1 = models.resolve("v-00000001");
        HstuConfig saved = HstuConfig.read(v1.resolve("config.json"));
        assertThat(saved.features().actions().encoding()).isEqualTo(ActionEncoding.BITS);
        assertThat(saved.features().actions().bitWeights()).containsExactly(1f, 0.5f, 2f);
        assertThat(saved.features().gating()).isNotNull();
        assertThat(saved.features().gating().reduction()).isEqualTo(3);
        assertThat(saved.features().multimodalDims()).containsExactly(java.util.Map.entry(81, 2));

        String evalOut = run(
                new EvalCommand(),
                "--ratings",
                ratings.toString(),
                "--model",
                v1.toString(),
                "--multimodal",
                "81=" + embeddings);
        assertThat(evalOut).contains("model        HR@10=");
        CommandLine eval = new CommandLine(new EvalCommand());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        eval.setErr(new java.io.PrintWriter(err, true));
        assertThat(eval.execute("--ratings", ratings.toString(), "--model", v1.toString()))
                .isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("give one --multimodal ID=PATH per feature of model.features.multimodalDims=[81], got []");
    }

    @Test
    void helpListsEveryModelKeyWithItsDefaultAndASavedModelTakesOnlyRuntimeSettings() throws Exception {
        String help = new CommandLine(new TrainCommand()).getUsageMessage();
        assertThat(help)
                .contains("Model settings (--set KEY=VALUE, defaults shown):")
                .contains("  model.stu.numLayers=2\n      number of stacked layers")
                .contains("  model.task.rankPackage=null");
        assertThat(new CommandLine(new EvalCommand()).getUsageMessage()).contains("--set=model.runtime.KEY=VALUE");

        SavedModelOptions saved = new SavedModelOptions();
        new CommandLine(saved).parseArgs("--set", "model.stu.numLayers=3");
        assertThatThrownBy(() -> saved.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a saved model takes only model.runtime.* settings");

        ModelOptions unprefixed = new ModelOptions();
        new CommandLine(unprefixed).parseArgs("--set", "stu.numLayers=3");
        assertThatThrownBy(unprefixed::resolve).hasMessageContaining("model keys start with model.");
    }

    @Test
    void theTrainingTrickFlagsSetTheirConfigFieldsAndOverrideTheConfigFile() throws Exception {
        Path config = dir.resolve("tricks.yaml");
        Files.writeString(
                config,
                "rankPackageCounts: [1, 1, 1, 1, 1]\nrankLoss: listwise\nhardNegativeCacheSize: 64\nhardNegatives: 8\n");
        ModelOptions options = new ModelOptions();
        new CommandLine(options)
                .parseArgs(
                        "--config",
                        config.toString(),
                        "--set",
                        "model.task.clickTargetWeight=1",
                        "--set",
                        "model.task.exposureTargetWeight=0.25",
                        "--set",
                        "model.task.clickTemperature=0.04",
                        "--set",
                        "model.task.exposureTemperature=0.1",
                        "--set",
                        "model.task.rankPackage.counts=[2,1,2,1,3]",
                        "--set",
                        "model.task.rankPackage.hotShare=0.3",
                        "--set",
                        "model.task.hardNegatives.perStep=16",
                        "--set",
                        "model.features.idDropout.start=0.3",
                        "--set",
                        "model.features.idDropout.annealSteps=500",
                        "--set",
                        "model.task.rankLoss=pairwise",
                        "--set",
                        "model.task.rankLossWeight=0.2");
        HstuConfig c = options.resolve().validate();
        assertThat(c.task().clickTargetWeight()).isEqualTo(1f);
        assertThat(c.task().exposureTargetWeight()).isEqualTo(0.25f);
        assertThat(c.task().clickTemperature()).isEqualTo(0.04f);
        assertThat(c.task().exposureTemperature()).isEqualTo(0.1f);
        assertThat(c.task().rankPackage().counts()).containsExactly(2, 1, 2, 1, 3);
        assertThat(c.task().rankPackage().hotShare()).isEqualTo(0.3f);
        assertThat(c.task().hardNegatives().cacheSize()).as("from the file").isEqualTo(64);
        assertThat(c.task().hardNegatives().perStep()).isEqualTo(16);
        assertThat(c.features().idDropout().start()).isEqualTo(0.3f);
        assertThat(c.features().idDropout().annealSteps()).isEqualTo(500);
        assertThat(c.task().rankLoss()).isEqualTo(RankLoss.PAIRWISE);
        assertThat(c.task().rankLossWeight()).isEqualTo(0.2f);

        // an ablation turns each one off from the command line
        ModelOptions off = new ModelOptions();
        new CommandLine(off)
                .parseArgs(
                        "--config",
                        config.toString(),
                        "--set",
                        "model.task.rankPackage=null",
                        "--set",
                        "model.task.rankLoss=NONE",
                        "--set",
                        "model.task.hardNegatives=null");
        HstuConfig none = off.resolve().validate();
        assertThat(none.task().rankPackageSize()).isZero();
        assertThat(none.task().rankLoss()).isEqualTo(RankLoss.NONE);
        assertThat(none.task().hardNegatives()).isNull();
    }

    @Test
    void trainRunsWithEveryTrainingTrickOn() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        SplittableRandom random = new SplittableRandom(7);
        for (int u = 1; u <= 10; u++) {
            for (int i = 0; i < 8; i++) {
                // odd star ratings carry the click bit (action = stars)
                csv.append(u)
                        .append(',')
                        .append(1000 + random.nextInt(25))
                        .append(',')
                        .append(1 + random.nextInt(5))
                        .append(".0,")
                        .append(1_000_000 + u * 10_000 + i * 60)
                        .append('\n');
            }
        }
        Files.writeString(ratings, csv);
        Path config = dir.resolve("model.yaml");
        Files.writeString(
                config, "embeddingDim: 16\nnumLayers: 1\nnumHeads: 2\nattentionDim: 8\nlinearDim: 8\nmaxSeqLen: 10\n");
        Path models = dir.resolve("models");
        String out = run(
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
                "--set",
                "model.task.numNegatives=8",
                "--set",
                "model.task.exposureTargetWeight=0.5",
                "--set",
                "model.task.clickTemperature=0.1",
                "--set",
                "model.task.rankPackage.counts=[1,1,1,1,2]",
                "--set",
                "model.task.hardNegatives.cacheSize=16",
                "--set",
                "model.task.hardNegatives.perStep=4",
                "--set",
                "model.features.idDropout.start=0.3",
                "--set",
                "model.features.idDropout.annealSteps=3",
                "--set",
                "model.task.rankLoss=listwise",
                "--set",
                "model.task.rankLossWeight=0.5");
        assertThat(out).contains("wrote");
        HstuConfig saved = HstuConfig.read(models.resolve("v-00000001").resolve("config.json"));
        assertThat(saved.task().rankLoss()).isEqualTo(RankLoss.LISTWISE);
        assertThat(saved.task().rankPackage().counts()).containsExactly(1, 1, 1, 1, 2);
        assertThat(saved.task().hardNegatives().cacheSize()).isEqualTo(16);
        JsonNode metrics = new ObjectMapper()
                .readTree(models.resolve("v-00000001")
                        .resolve(TrainCommand.METRICS)
                        .toFile());
        for (JsonNode epoch : metrics.get("epochs")) {
            assertThat(epoch.get("meanLoss").asDouble()).isFinite().isPositive();
        }
    }

    @Test
    void missingInputIsAClearError() {
        CommandLine cl = new CommandLine(new TrainCommand());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute("--out", dir.resolve("m").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give exactly one of --data, --ratings and --seq");
    }

    @Test
    void trainEvalAndExportReadASequenceTextFileThroughData() throws Exception {
        Path data = dir.resolve("Beauty.txt");
        StringBuilder lines = new StringBuilder();
        SplittableRandom random = new SplittableRandom(7);
        for (int u = 1; u <= 12; u++) {
            lines.append(u);
            for (int i = 0; i < 8; i++) {
                lines.append(' ').append(1 + random.nextInt(30));
            }
            lines.append('\n');
        }
        Files.writeString(data, lines);
        Path config = dir.resolve("model.yaml");
        Files.writeString(
                config, "embeddingDim: 16\nnumLayers: 1\nnumHeads: 2\nattentionDim: 8\nlinearDim: 8\nmaxSeqLen: 10\n");
        Path models = dir.resolve("models");
        String trainOut = run(
                new TrainCommand(),
                "--data",
                data.toString(),
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
        assertThat(trainOut).contains("data " + data + ": users=12 items=").contains("events=96");
        Path v1 = models.resolve("v-00000001");
        assertThat(run(
                        new EvalCommand(),
                        "--data",
                        data.toString(),
                        "--format",
                        "sequence-text",
                        "--model",
                        v1.toString()))
                .contains("model        HR@10=")
                .contains("users=12");
        Path export = dir.resolve("export");
        run(new ExportCommand(), "--data", data.toString(), "--model", v1.toString(), "--out", export.toString());
        assertThat(EmbeddingFiles.readU64(export.resolve(ExportCommand.USER_IDS)))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

        CommandLine refused = new CommandLine(new TrainCommand());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        refused.setErr(new java.io.PrintWriter(err, true));
        int code = refused.execute(
                "--data",
                data.toString(),
                "--config",
                config.toString(),
                "--out",
                models.toString(),
                "--set",
                "model.features.time=true");
        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("model.features.time=true reads the events' clock")
                .contains(data + " (sequence-text) has no timestamps");
        assertThat(models.resolve("v-00000002")).doesNotExist();
    }

    @Test
    void theInputFormatIsGivenImpliedOrToldByTheNameAndContradictionsAreRefused() {
        assertThat(format("--data", "a/events.inter")).isEqualTo(InteractionFormat.RECBOLE_INTER);
        assertThat(format("--data", "a/events", "--format", "sequence-text"))
                .isEqualTo(InteractionFormat.SEQUENCE_TEXT);
        assertThat(format("--ratings", "r.txt")).isEqualTo(InteractionFormat.MOVIELENS);
        assertThat(format("--seq", "s.csv", "--format", "seq-jsonl")).isEqualTo(InteractionFormat.SEQ_JSONL);
        assertThatThrownBy(() -> format("--data", "a/events"))
                .hasMessageStartingWith("cannot tell the format of a/events from its name");
        assertThatThrownBy(() -> format("--ratings", "r.csv", "--format", "recbole-inter"))
                .hasMessage("--format recbole-inter contradicts --ratings (which reads movielens): use --data r.csv"
                        + " --format recbole-inter");
        assertThatThrownBy(() -> format("--data", "a.txt", "--seq", "b.jsonl"))
                .hasMessage("give exactly one of --data, --ratings and --seq");
        assertThatThrownBy(() -> format("--data", "a.txt", "--format", "tsv"))
                .hasMessageStartingWith("unknown format 'tsv'");
    }

    private static InteractionFormat format(String... args) {
        InputOptions input = new InputOptions();
        new CommandLine(input).parseArgs(args);
        return input.format();
    }

    /** Runs a command, returning what it printed; fails the test on a non-zero exit. */
    @Test
    void trainAndEvalWithGenresAndReleaseYearReadMoviesCsvNextToTheRatings() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        SplittableRandom random = new SplittableRandom(5);
        for (int u = 1; u <= 12; u++) {
            for (int i = 0; i < 8; i++) {
                csv.append(u).append(',').append(1000 + random.nextInt(30)).append(",4.0,");
                csv.append(1_000_000 + u * 10_000 + i * 60).append('\n');
            }
        }
        Files.writeString(ratings, csv);
        StringBuilder movies = new StringBuilder("movieId,title,genres\n");
        for (int m = 1000; m < 1030; m++) {
            movies.append(m)
                    .append(",\"Movie ")
                    .append(m)
                    .append(", The (1999)\",")
                    .append(m % 7 == 0 ? "(no genres listed)" : m % 2 == 0 ? "Drama|Comedy" : "Sci-Fi")
                    .append('\n');
        }
        Files.writeString(dir.resolve("movies.csv"), movies);
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
                "2",
                "--batch-size",
                "4",
                "--set",
                "model.task.numNegatives=8",
                "--set",
                "model.features.genres.count=19",
                "--set",
                "model.features.releaseYear.bucketYears=10");
        Path v1 = models.resolve("v-00000001");
        JsonNode metrics =
                new ObjectMapper().readTree(v1.resolve(TrainCommand.METRICS).toFile());
        for (JsonNode epoch : metrics.get("epochs")) {
            assertThat(Double.isFinite(epoch.get("meanLoss").asDouble())).isTrue();
        }
        try (HstuModel model = HstuModel.load(v1)) {
            assertThat(model.config().features().genres().count()).isEqualTo(19);
            assertThat(model.encoder().getParameters().keys()).anyMatch(k -> k.endsWith("preprocessor_genres"));
            assertThat(model.encoder().getParameters().keys())
                    .as("a second feature on the same side file")
                    .anyMatch(k -> k.endsWith("preprocessor_release_year"));
        }
        assertThat(run(new EvalCommand(), "--ratings", ratings.toString(), "--model", v1.toString()))
                .contains("model        HR@10=");

        InputOptions input = new InputOptions();
        new CommandLine(input).parseArgs("--ratings", ratings.toString(), "--movies", ratings.toString());
        HstuConfig genres = HstuConfig.defaults().with("features.genres.count", 19);
        assertThatThrownBy(() -> input.load(new ItemVocabulary(100), true, genres))
                .hasMessageContaining(ratings + ":1: first line must be 'movieId,title,genres'");
        Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n1000,Only One,Drama\n");
        InputOptions nextToRatings = new InputOptions();
        new CommandLine(nextToRatings).parseArgs("--ratings", ratings.toString());
        assertThatThrownBy(() -> nextToRatings.load(new ItemVocabulary(100), true, genres))
                .hasMessageContaining("movies.csv lists no item")
                .hasMessageContaining("(column genres)");
        InputOptions named = new InputOptions();
        new CommandLine(named).parseArgs("--ratings", ratings.toString(), "--item-file", "movies=" + ratings);
        assertThatThrownBy(() -> named.load(new ItemVocabulary(100), true, genres))
                .hasMessageContaining(ratings + ":1: first line must be 'movieId,title,genres'");
        HstuConfig tooFew = HstuConfig.defaults().with("features.genres.count", 5);
        assertThatThrownBy(() -> nextToRatings.load(new ItemVocabulary(100), true, tooFew))
                .hasMessageContaining("model.features.genres.count must be >= 19");
    }

    static String run(Object command, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(command).execute(args);
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        return out;
    }
}
