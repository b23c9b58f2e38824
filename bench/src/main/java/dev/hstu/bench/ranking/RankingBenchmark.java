package dev.hstu.bench.ranking;

import dev.hstu.bench.BenchReport;
import dev.hstu.formats.movielens.MovieLensActionBits;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.RankingEvaluator;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.tasks.ranking.RankingSamples;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.RankingEpochTrainer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ranking quality on MovieLens ratings read as actions (exposure, click at 4 stars, like at 5): the HSTU ranking
 * model, the same heads on the Transformer baseline encoder, and a DLRM-style MLP over user and item ids and counts
 * without the sequence, on one split (each user's newest window test, the one before validation), per task AUC,
 * GAUC and NE on the test windows, mean ± std over seeds.
 */
@Command(name = "ranking-benchmark", mixinStandardHelpOptions = true)
public final class RankingBenchmark implements Callable<Integer> {

    @Option(names = "--results", required = true, description = "Markdown file to write")
    private Path results;

    @Option(names = "--ratings", defaultValue = "data/ml-latest-small/ratings.csv", description = "ratings.csv")
    private Path ratings;

    @Option(names = "--seeds", defaultValue = "3")
    private int seeds;

    @Option(names = "--epochs", defaultValue = "4", description = "maximum epochs per model")
    private int epochs;

    @Option(names = "--window-events", defaultValue = "10")
    private int windowEvents;

    @Option(names = "--max-seq-len", defaultValue = "50")
    private int maxSeqLen;

    @Option(names = "--batch-size", defaultValue = "32", description = "samples per step (sequence models)")
    private int batchSize;

    @Option(names = "--dlrm-batch-size", defaultValue = "256", description = "candidates per step (DLRM)")
    private int dlrmBatchSize;

    @Option(names = "--lr", defaultValue = "0.001")
    private float learningRate;

    @Override
    public Integer call() throws Exception {
        String command = BenchReport.command(RankingBenchmark.class, new String[0]);
        // the header at the start, so that its date and load are those the run started under
        String header = BenchReport.header("Ranking quality on ml-latest-small", command);
        MovieLensActionBits bits = MovieLensActionBits.defaults();
        ItemVocabulary vocabulary = new ItemVocabulary(Integer.MAX_VALUE - 8);
        UserSequences users =
                InteractionFiles.movieLens(ratings, bits::action).build(vocabulary, vocabulary::indexOrAssign);
        RankingSamples.Split split = RankingSamples.split(users, windowEvents, maxSeqLen);
        RankingConfig ranking = RankingConfig.defaults();
        Map<String, List<RankingEvaluator.Result>> byModel = new LinkedHashMap<>();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (EncoderType encoder : new EncoderType[] {EncoderType.HSTU, EncoderType.TRANSFORMER}) {
                long t0 = System.nanoTime();
                RankingEvaluator.Result test = trainSequenceModel(users, vocabulary, split, encoder, seed);
                record(byModel, seconds, encoder == EncoderType.HSTU ? "HSTU" : "Transformer", test, t0);
            }
            long t0 = System.nanoTime();
            float[] counts = DlrmBaseline.itemCounts(users, split, vocabulary.size());
            try (DlrmBaseline dlrm = new DlrmBaseline(ranking, users.size() + 1, vocabulary.size(), 64, seed)) {
                RankingEvaluator.Result test = dlrm.fit(
                        DlrmBaseline.candidates(users, split.train(), counts, ranking),
                        DlrmBaseline.candidates(users, split.validation(), counts, ranking),
                        DlrmBaseline.candidates(users, split.test(), counts, ranking),
                        epochs,
                        dlrmBatchSize,
                        learningRate,
                        seed);
                record(byModel, seconds, "DLRM (ids + counts, no sequence)", test, t0);
            }
        }
        write(header, users, vocabulary, split, byModel, seconds);
        return 0;
    }

    private RankingEvaluator.Result trainSequenceModel(
            UserSequences users, ItemVocabulary vocabulary, RankingSamples.Split split, EncoderType encoder, int seed)
            throws Exception {
        int steps = RankingEpochTrainer.stepsPerEpoch(split, batchSize) * epochs;
        HstuConfig config = HstuConfig.defaults()
                .with("ranking", Map.of())
                .with("encoder.type", encoder)
                .with("encoder.maxSeqLen", maxSeqLen)
                .with("items.capacity", vocabulary.size())
                .with("optimizer.learningRate", learningRate)
                .with("optimizer.totalSteps", steps + 1)
                .with("runtime.seed", seed)
                .validate();
        Path dir = Files.createTempDirectory("ranking-bench");
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            RankingEpochTrainer.Outcome outcome = new RankingEpochTrainer(
                            new RankingEpochTrainer.Options(epochs, batchSize, 0, seed))
                    .run(trainer, users, split, dir, new PrintStream(OutputStream.nullOutputStream()));
            System.out.printf(
                    Locale.ROOT,
                    "%s seed %d: best epoch %d%n%s",
                    encoder,
                    seed,
                    outcome.best().epoch(),
                    outcome.test().summary());
            return outcome.test();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void record(
            Map<String, List<RankingEvaluator.Result>> byModel,
            Map<String, List<Double>> seconds,
            String name,
            RankingEvaluator.Result test,
            long t0) {
        byModel.computeIfAbsent(name, k -> new ArrayList<>()).add(test);
        seconds.computeIfAbsent(name, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e9);
        System.out.printf("%s:%n%s", name, test.summary());
    }

    private void write(
            String header,
            UserSequences users,
            ItemVocabulary vocabulary,
            RankingSamples.Split split,
            Map<String, List<RankingEvaluator.Result>> byModel,
            Map<String, List<Double>> seconds)
            throws Exception {
        StringBuilder md = new StringBuilder(header);
        md.append(String.format(
                Locale.ROOT,
                "- data: %s, %d users, %d items, %d ratings; actions: rated = exposure (0), >= 4 stars = click (1),"
                        + " 5 stars = like (2)%n"
                        + "- split: windows of %d events per user, newest = test (%d windows), the one before ="
                        + " validation (%d), earlier = training (%d); %d users too short%n"
                        + "- settings: %d epochs (best on mean validation AUC), seeds 1..%d, maxSeqLen %d, batch %d"
                        + " samples (DLRM: %d candidates), lr %s, model defaults otherwise (d=64, 2 layers, tower [128])%n%n",
                ratings,
                users.size(),
                vocabulary.size() - 2,
                users.totalEvents(),
                windowEvents,
                split.test().size(),
                split.validation().size(),
                split.train().size(),
                split.skippedUsers(),
                epochs,
                seeds,
                maxSeqLen,
                batchSize,
                dlrmBatchSize,
                learningRate));
        md.append("Test windows, mean ± std over seeds (GAUC: per-user AUC averaged over users with both classes;"
                + " NE: normalised entropy, lower is better).\n\n");
        md.append(
                "| model | task | AUC | GAUC | NE | log loss | seconds per run |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Map.Entry<String, List<RankingEvaluator.Result>> e : byModel.entrySet()) {
            List<RankingEvaluator.Result> runs = e.getValue();
            double[] secs = seconds.get(e.getKey()).stream()
                    .mapToDouble(Double::doubleValue)
                    .toArray();
            for (int t = 0; t < runs.get(0).tasks().size(); t++) {
                int task = t;
                double[] auc = runs.stream()
                        .mapToDouble(r -> r.tasks().get(task).binary().auc())
                        .toArray();
                double[] gauc = runs.stream()
                        .mapToDouble(r -> r.tasks().get(task).binary().gauc())
                        .toArray();
                double[] ne = runs.stream()
                        .mapToDouble(r -> r.tasks().get(task).binary().normalizedEntropy())
                        .toArray();
                double[] ll = runs.stream()
                        .mapToDouble(r -> r.tasks().get(task).binary().logLoss())
                        .toArray();
                String name = runs.get(0).tasks().get(t).name();
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %s | %s | %s | %.0f |%n",
                        e.getKey(),
                        name,
                        pm(auc),
                        pm(gauc),
                        pm(ne),
                        pm(ll),
                        mean(secs)));
            }
        }
        md.append("\n").append(BenchReport.loadAtEnd());
        BenchReport.write(results, md.toString());
    }

    private static String pm(double[] values) {
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean(values), std(values));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** @param args command-line arguments */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RankingBenchmark()).execute(args));
    }
}
