package dev.hstu.bench.quality;

import dev.hstu.bench.BenchReport;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.HstuModel;
import dev.hstu.model.cli.ModelOptions;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.FullRankingEvaluator;
import dev.hstu.model.eval.LeaveOneOutSplit;
import dev.hstu.model.eval.MetricsReport;
import dev.hstu.model.eval.MostPopular;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.train.EpochTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains HSTU and the Transformer (SASRec-style) baseline with the same inputs, loss, negatives
 * and training loop on MovieLens, evaluates both and most-popular by leave-one-out full ranking,
 * and writes a Markdown report. With {@code --seeds N > 1} every encoder is trained N times (seeds
 * {@code seed, seed+1, ...}) and the report adds mean ± standard deviation of the test metrics; the
 * per-epoch tables show the first seed.
 */
@Command(
        name = "quality-ml-latest-small",
        mixinStandardHelpOptions = true,
        description = "HSTU vs Transformer vs most-popular on MovieLens (leave-one-out, full ranking).")
public final class QualityBenchmark implements Callable<Integer> {

    @Option(names = "--results", required = true, description = "Markdown file to write")
    private Path results;

    @Option(
            names = "--ratings",
            defaultValue = "data/ml-latest-small/ratings.csv",
            description = "MovieLens ratings.csv")
    private Path ratings;

    @Option(names = "--epochs", defaultValue = "60", description = "maximum epochs per model")
    private int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "users per step")
    private int batchSize;

    @Option(
            names = "--patience",
            defaultValue = "0",
            description = "early stop after N epochs without validation gain; 0 = never")
    private int patience;

    @Option(names = "--encoders", split = ",", defaultValue = "HSTU,TRANSFORMER", description = "encoders to train")
    private List<EncoderType> encoders;

    @Option(
            names = "--window-stride",
            defaultValue = "0",
            description =
                    "0: train each user's most recent max-seq-len events; N > 0: the whole history in windows N events apart")
    private int windowStride;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            description =
                    "train each encoder with this many seeds (seed, seed+1, ...) and report mean ± std (default ${DEFAULT-VALUE})")
    private int seeds;

    @Mixin
    private ModelOptions model = new ModelOptions();

    /** One trained method's outcome. */
    private record Row(String method, EpochTrainer.Outcome outcome, MetricsReport test) {}

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seeds must be >= 1, got " + seeds);
        }
        long wallStart = System.nanoTime();
        ItemVocabulary vocabulary = new ItemVocabulary(Integer.MAX_VALUE - 8);
        UserSequences users = InteractionFiles.movieLens(ratings, MovieLensActions.wholeStars())
                .build(vocabulary, vocabulary::indexOrAssign);
        LeaveOneOutSplit split = new LeaveOneOutSplit(users);
        QualityTraining training = new QualityTraining(epochs, batchSize, patience, windowStride);
        HstuConfig base = training.sized(model.resolve(), vocabulary, split);
        int stepsPerEpoch = training.stepsPerEpoch(split, base);
        System.out.printf(
                "users=%d items=%d events=%d steps/epoch=%d%n",
                users.size(), vocabulary.size() - 2, users.totalEvents(), stepsPerEpoch);

        List<Row> rows = new ArrayList<>();
        List<QualitySeedStats> acrossSeeds = new ArrayList<>();
        MetricsReport popular;
        try (HstuModel anchor = HstuModel.create(base.with("stu.numLayers", 1).validate())) {
            FullRankingEvaluator evaluator =
                    new FullRankingEvaluator(base.encoder().maxSeqLen(), true, 128);
            popular = evaluator.evaluate(
                    split.test(),
                    MostPopular.fit(split, vocabulary.size(), anchor.manager()),
                    vocabulary.size(),
                    anchor.manager());
        }
        System.out.println("most-popular test " + popular.summary());
        for (EncoderType encoder : encoders) {
            QualitySeedStats stats = new QualitySeedStats(encoder.name());
            for (int s = 0; s < seeds; s++) {
                HstuConfig config = base.with("encoder.type", encoder)
                        .with("runtime.seed", base.runtime().seed() + s)
                        .validate();
                EpochTrainer.Outcome outcome = training.train(config, split);
                if (s == 0) {
                    rows.add(new Row(encoder.name(), outcome, outcome.best().test()));
                }
                stats.add(config.runtime().seed(), outcome.best().test());
                System.out.printf(
                        "%s seed %d best epoch %d test %s%n",
                        encoder,
                        config.runtime().seed(),
                        outcome.best().epoch(),
                        outcome.best().test().summary());
            }
            acrossSeeds.add(stats);
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        write(base, users, vocabulary, stepsPerEpoch, rows, acrossSeeds, popular, wall);
        System.out.println("wrote " + results);
        return 0;
    }

    private void write(
            HstuConfig base,
            UserSequences users,
            ItemVocabulary vocabulary,
            int stepsPerEpoch,
            List<Row> rows,
            List<QualitySeedStats> acrossSeeds,
            MetricsReport popular,
            double wall)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Quality: HSTU vs Transformer vs most-popular on ml-latest-small\n\n");
        md.append("Command: `bench/run quality-ml-latest-small");
        if (!commandLine.isBlank()) {
            md.append(' ').append(commandLine);
        }
        md.append("`\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Date: %s. Machine: %d cores visible to the JVM, %.1f GiB RAM (JVM max heap %.1f GiB). Wall time %.1f s (all methods).%n%n",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                Runtime.getRuntime().availableProcessors(),
                totalMemoryGiB(),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024),
                wall));
        md.append(String.format(
                Locale.ROOT,
                "Data: `%s`: %d users, %d items, %d interactions.%n%n",
                ratings,
                users.size(),
                vocabulary.size() - 2,
                users.totalEvents()));
        md.append(
                "Protocol: leave-one-out by time (per user: last interaction = test target, the one before = validation target, "
                        + "the rest = training). Each target is ranked against ALL items (full ranking, no sampled candidates); items already "
                        + "in the user's history are excluded from the candidates for every method (the target itself is never excluded); "
                        + "ties are broken against the target (by item row). The epoch with the best validation NDCG@10 is selected and its "
                        + "test metrics are reported. Most-popular counts items in the training parts.\n\n");
        md.append(
                "## Test metrics\n\n| method | HR@10 | NDCG@10 | HR@50 | NDCG@50 | MRR | best epoch / run | train s | samples/s |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            MetricsReport t = r.test();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %d / %d | %.1f | %.0f |%n",
                    r.method(),
                    t.hr10(),
                    t.ndcg10(),
                    t.hr50(),
                    t.ndcg50(),
                    t.mrr(),
                    r.outcome().best().epoch(),
                    r.outcome().epochs().size(),
                    r.outcome().trainSeconds(),
                    r.outcome().targetsPerSecond()));
        }
        md.append(String.format(
                Locale.ROOT,
                "| most-popular | %.4f | %.4f | %.4f | %.4f | %.4f | - | - | - |%n%n",
                popular.hr10(),
                popular.ndcg10(),
                popular.hr50(),
                popular.ndcg50(),
                popular.mrr()));
        md.append(
                "samples/s = next-item training targets (positions) per second of training steps; train s excludes evaluation.\n\n");
        if (seeds > 1) {
            md.append(String.format(Locale.ROOT, "## Test metrics across %d seeds%n%n", seeds));
            md.append("Each encoder trained from scratch with seeds "
                    + base.runtime().seed() + ".." + (base.runtime().seed() + seeds - 1)
                    + " (initialisation, dropout, negatives and batch order); the table above shows seed "
                    + base.runtime().seed()
                    + ". Mean ± sample standard deviation; most-popular is deterministic.\n\n");
            md.append("| method | runs | HR@10 | NDCG@10 | HR@10 per seed |\n| --- | --- | --- | --- | --- |\n");
            for (QualitySeedStats stats : acrossSeeds) {
                md.append(stats.markdownRow());
            }
            md.append(String.format(
                    Locale.ROOT, "| most-popular | 1 | %.4f | %.4f | - |%n%n", popular.hr10(), popular.ndcg10()));
        }
        md.append(String.format(
                Locale.ROOT,
                "Training: %d max epochs, batch %d sequences (%d steps/epoch), patience %d, warm-up then cosine "
                        + "decay to the last step; %s.%n%n",
                epochs,
                batchSize,
                stepsPerEpoch,
                patience,
                windowStride == 0
                        ? "each user's most recent max-seq-len training events"
                        : "each user's whole training history in windows ending " + windowStride + " events apart"));
        md.append(
                seeds > 1
                        ? "## Validation metrics per epoch (NDCG@10, seed "
                                + base.runtime().seed() + ")\n\n| epoch |"
                        : "## Validation metrics per epoch (NDCG@10)\n\n| epoch |");
        for (Row r : rows) {
            md.append(' ')
                    .append(r.method())
                    .append(" loss | ")
                    .append(r.method())
                    .append(" val NDCG@10 |");
        }
        md.append("\n| --- |");
        for (int i = 0; i < rows.size(); i++) {
            md.append(" --- | --- |");
        }
        md.append('\n');
        int maxEpochs =
                rows.stream().mapToInt(r -> r.outcome().epochs().size()).max().orElse(0);
        for (int e = 0; e < maxEpochs; e++) {
            if (e % 5 != 4 && e != maxEpochs - 1 && e != 0) {
                continue;
            }
            md.append("| ").append(e + 1).append(" |");
            for (Row r : rows) {
                if (e < r.outcome().epochs().size()) {
                    EpochTrainer.EpochResult er = r.outcome().epochs().get(e);
                    md.append(String.format(
                            Locale.ROOT,
                            " %.3f | %.4f |",
                            er.meanLoss(),
                            er.validation().ndcg10()));
                } else {
                    md.append(" | |");
                }
            }
            md.append('\n');
        }
        md.append("\n## Config (HSTU; the Transformer differs only in `encoder`)\n\n```json\n")
                .append(base.toJson())
                .append("\n```\n");
        BenchReport.write(results, md.toString());
    }

    private static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / (1024.0 * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: not Linux
        }
        return Double.NaN;
    }

    /** @param args {@code --results <file>} then options */
    public static void main(String[] args) {
        QualityBenchmark benchmark = new QualityBenchmark();
        benchmark.commandLine =
                String.join(" ", java.util.Arrays.copyOfRange(args, Math.min(args.length, 2), args.length));
        System.exit(new CommandLine(benchmark).execute(args));
    }

    private String commandLine = "";
}
