package dev.hstu.bench.match;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.hstu.bench.BenchReport;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.movielens.MovieLensMovies;
import dev.hstu.formats.movielens.MovieLensRatings;
import dev.hstu.model.HstuModel;
import dev.hstu.model.cli.ConsoleProgress;
import dev.hstu.model.cli.ModelOptions;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.MatchConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.EvalCases;
import dev.hstu.model.eval.FullRankingEvaluator;
import dev.hstu.model.eval.LeaveOneOutSplit;
import dev.hstu.model.eval.MetricsReport;
import dev.hstu.model.eval.MostPopular;
import dev.hstu.model.eval.RankingMetrics;
import dev.hstu.model.eval.RankingScorer;
import dev.hstu.model.io.ItemSideColumn;
import dev.hstu.model.tasks.match.ItemSideTable;
import dev.hstu.model.tasks.match.MatchTask;
import dev.hstu.model.train.EpochTrainer;
import dev.hstu.model.train.HstuTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Cold start on MovieLens: a random share of the rated movies (fixed seed) is removed from training entirely, the
 * id-only HSTU retrieval model and the two-tower Match model with the movies' genres are trained on the rest, and
 * each user's first rating of a removed movie is ranked, after the user's ratings before it, against every movie
 * (full ranking, history excluded). The removed movies get item rows only after training: the id-only model scores
 * them by untrained table rows, Match by its item tower from their genres alone; most-popular never saw them.
 */
@Command(
        name = "match-ml-latest-small",
        mixinStandardHelpOptions = true,
        description = "Cold-start recall: id-only HSTU vs Match with genres vs most-popular on ml-latest-small.")
public final class MatchColdStartBenchmark implements Callable<Integer> {

    private static final int[] CUTOFFS = {1, 5, 10, 50};

    @Option(names = "--results", required = true, description = "Markdown file to write (and its .json twin)")
    private Path results;

    @Option(
            names = "--ratings",
            defaultValue = "data/ml-latest-small/ratings.csv",
            description = "MovieLens ratings.csv")
    private Path ratings;

    @Option(names = "--movies", description = "MovieLens movies.csv (default: next to --ratings)")
    private Path movies;

    @Option(names = "--cold-share", defaultValue = "0.1", description = "share of rated movies removed from training")
    private double coldShare;

    @Option(names = "--split-seed", defaultValue = "1", description = "seed of the choice of removed movies")
    private long splitSeed;

    @Option(names = "--epochs", defaultValue = "8", description = "epochs per model")
    private int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "sequences per step")
    private int batchSize;

    @Option(names = "--window-stride", defaultValue = "25", description = "training windows this many events apart")
    private int windowStride;

    @Option(names = "--seeds", defaultValue = "1", description = "model seeds (runtime.seed, +1, ...)")
    private int seeds;

    @Mixin
    private ModelOptions model = new ModelOptions();

    /** Rows of the warm movies: the removed ones come after them. */
    private int warmRows;

    /** One method's figures for one model seed. */
    private record Run(
            String method,
            long seed,
            RankingMetrics cold,
            RankingMetrics coldOnly,
            MetricsReport warmTest,
            double trainSeconds) {}

    @Override
    public Integer call() throws Exception {
        long wallStart = System.nanoTime();
        Path moviesCsv = movies != null ? movies : ratings.resolveSibling("movies.csv");
        List<MovieLensRatings.Rating> all = readRatings(ratings);
        Set<Long> cold = coldMovies(all);

        // warm rows first, in the order training assigns them; the removed movies get rows only after training
        ItemVocabulary warmVocabulary = new ItemVocabulary(Integer.MAX_VALUE - 8);
        UserSequences warm = collect(all, cold, false).build(warmVocabulary, warmVocabulary::indexOrAssign);
        ItemVocabulary fullVocabulary = new ItemVocabulary(Integer.MAX_VALUE - 8);
        for (int row = ItemVocabulary.FIRST_ITEM; row < warmVocabulary.size(); row++) {
            fullVocabulary.indexOrAssign(warmVocabulary.idOf(row));
        }
        for (long id : new TreeSet<>(cold)) {
            fullVocabulary.indexOrAssign(id);
        }
        UserSequences full = collect(all, cold, true).build(fullVocabulary, fullVocabulary::indexOf);
        warmRows = warmVocabulary.size();
        int allRows = fullVocabulary.size();
        EvalCases coldCases = coldCases(full, warmRows);
        LeaveOneOutSplit split = new LeaveOneOutSplit(warm);

        HstuConfig requested = model.resolve().validate();
        int stepsPerEpoch =
                EpochTrainer.stepsPerEpoch(split, batchSize, requested.encoder().maxSeqLen(), windowStride);
        HstuConfig base = requested
                .with("items.capacity", allRows)
                .with("optimizer.totalSteps", (long) stepsPerEpoch * epochs + 1)
                .with("optimizer.warmupSteps", (int)
                        Math.min(requested.optimizer().warmupSteps(), (long) stepsPerEpoch * epochs / 2))
                .validate();
        HstuConfig match = base.with("match", MatchConfig.defaults())
                .with("match.genres.count", MovieLensMovies.GENRES.size())
                .validate();
        System.out.printf(
                "users=%d warm items=%d removed items=%d cold cases=%d steps/epoch=%d%n",
                warm.size(), warmRows - 2, cold.size(), coldCases.size(), stepsPerEpoch);

        List<Run> runs = new ArrayList<>();
        double[] chance = chance(coldCases, allRows);
        FullRankingEvaluator evaluator = new FullRankingEvaluator(base.encoder().maxSeqLen(), true, 128);
        try (HstuModel anchor = HstuModel.create(base.with("stu.numLayers", 1).validate())) {
            MostPopular popular = MostPopular.fit(split, allRows, anchor.manager());
            RankingMetrics coldPopular = ranked(evaluator.ranks(coldCases, popular, allRows, anchor.manager()));
            RankingMetrics coldOnlyPopular =
                    ranked(evaluator.ranks(coldCases, removedOnly(popular, warmRows), allRows, anchor.manager()));
            MetricsReport warmPopular = evaluator.evaluate(
                    split.test(), MostPopular.fit(split, warmRows, anchor.manager()), warmRows, anchor.manager());
            runs.add(new Run("most-popular", 0, coldPopular, coldOnlyPopular, warmPopular, 0));
        }
        for (int s = 0; s < seeds; s++) {
            long seed = base.runtime().seed() + s;
            runs.add(train(
                    "Match + genres",
                    match.with("runtime.seed", seed).validate(),
                    split,
                    coldCases,
                    evaluator,
                    allRows,
                    fullVocabulary,
                    moviesCsv));
            runs.add(train(
                    "HSTU retrieval (id only)",
                    base.with("runtime.seed", seed).validate(),
                    split,
                    coldCases,
                    evaluator,
                    allRows,
                    fullVocabulary,
                    moviesCsv));
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        write(runs, chance, warm, warmRows, cold.size(), coldCases.size(), stepsPerEpoch, match, wall);
        return 0;
    }

    private Run train(
            String method,
            HstuConfig config,
            LeaveOneOutSplit split,
            EvalCases coldCases,
            FullRankingEvaluator evaluator,
            int allRows,
            ItemVocabulary fullVocabulary,
            Path moviesCsv)
            throws IOException {
        Path best = Files.createTempDirectory("match-bench");
        EpochTrainer.Options options = new EpochTrainer.Options(
                epochs, batchSize, 0, 128, true, config.runtime().seed(), windowStride);
        EpochTrainer.Outcome outcome;
        try (HstuModel m = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(m)) {
            attach(m, fullVocabulary, moviesCsv);
            outcome = new EpochTrainer(options).run(trainer, split, best, new ConsoleProgress(System.out, epochs, 200));
        }
        RankingMetrics coldMetrics;
        RankingMetrics coldOnly;
        try (HstuModel loaded = HstuModel.load(best)) {
            attach(loaded, fullVocabulary, moviesCsv);
            coldMetrics = ranked(evaluator.ranks(coldCases, loaded::itemScores, allRows, loaded.manager()));
            coldOnly = ranked(
                    evaluator.ranks(coldCases, removedOnly(loaded::itemScores, warmRows), allRows, loaded.manager()));
        }
        try (var files = Files.walk(best)) {
            // the best epoch's model is only read back here: leave no copy in the temporary directory
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
        System.out.printf(
                Locale.ROOT,
                "%s seed %d: cold R@10=%.4f R@50=%.4f, among the removed movies R@10=%.4f R@50=%.4f; warm test %s%n",
                method,
                config.runtime().seed(),
                coldMetrics.recall(10),
                coldMetrics.recall(50),
                coldOnly.recall(10),
                coldOnly.recall(50),
                outcome.best().test().summary());
        return new Run(
                method,
                config.runtime().seed(),
                coldMetrics,
                coldOnly,
                outcome.best().test(),
                outcome.trainSeconds());
    }

    private static void attach(HstuModel model, ItemVocabulary vocabulary, Path moviesCsv) throws IOException {
        if (model.task() instanceof MatchTask task) {
            List<ItemSideColumn> columns = MatchTask.sideColumns(model.config());
            List<Map<Long, Integer>> values = new ArrayList<>();
            for (ItemSideColumn column : columns) {
                values.add(column.reader().read(moviesCsv));
            }
            task.attach(ItemSideTable.of(
                    columns,
                    values,
                    Collections.nCopies(columns.size(), moviesCsv),
                    vocabulary,
                    model.config().items().capacity()));
        }
    }

    /** The scorer's scores with every warm movie pushed below all removed ones: ranking among the removed only. */
    private static RankingScorer removedOnly(RankingScorer scorer, int warmRows) {
        return (histories, itemRows) -> {
            NDArray scores = scorer.scores(histories, itemRows);
            float[] push = new float[itemRows - ItemVocabulary.FIRST_ITEM];
            java.util.Arrays.fill(push, 0, warmRows - ItemVocabulary.FIRST_ITEM, 1e4f);
            NDArray mask = scores.getManager().create(push, new Shape(1, push.length));
            return scores.sub(mask.toType(scores.getDataType(), false));
        };
    }

    private static RankingMetrics ranked(long[] ranks) {
        RankingMetrics metrics = new RankingMetrics(CUTOFFS);
        for (long r : ranks) {
            metrics.add(r);
        }
        return metrics;
    }

    /** Per cut-off, the mean recall a random ranking of each case's candidates has: {@code k / candidates}. */
    private static double[] chance(EvalCases cases, int allRows) {
        double[] out = new double[CUTOFFS.length];
        for (int c = 0; c < cases.size(); c++) {
            int[] items = cases.sequences().items().get(cases.users()[c]);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < cases.historyLengths()[c]; i++) {
                seen.add(items[i]);
            }
            int candidates = allRows - ItemVocabulary.FIRST_ITEM - seen.size();
            for (int k = 0; k < CUTOFFS.length; k++) {
                out[k] += Math.min(1.0, (double) CUTOFFS[k] / candidates) / cases.size();
            }
        }
        return out;
    }

    /** Each user's first rating of a removed movie that follows at least one other rating. */
    private static EvalCases coldCases(UserSequences full, int warmRows) {
        List<Integer> users = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (int u = 0; u < full.size(); u++) {
            int[] items = full.items().get(u);
            for (int i = 1; i < items.length; i++) {
                if (items[i] >= warmRows) {
                    users.add(u);
                    lengths.add(i);
                    break;
                }
            }
        }
        return new EvalCases(
                full,
                users.stream().mapToInt(Integer::intValue).toArray(),
                lengths.stream().mapToInt(Integer::intValue).toArray());
    }

    private Set<Long> coldMovies(List<MovieLensRatings.Rating> all) {
        List<Long> rated = new ArrayList<>(
                new TreeSet<>(all.stream().map(MovieLensRatings.Rating::movie).toList()));
        Collections.shuffle(rated, new Random(splitSeed));
        return new HashSet<>(rated.subList(0, (int) Math.round(coldShare * rated.size())));
    }

    private static UserSequences.Collector collect(
            List<MovieLensRatings.Rating> all, Set<Long> cold, boolean withCold) {
        MovieLensActions actions = MovieLensActions.wholeStars();
        UserSequences.Collector events = new UserSequences.Collector();
        for (MovieLensRatings.Rating r : all) {
            if (withCold || !cold.contains(r.movie())) {
                events.add(r.user(), r.movie(), actions.action(r.stars()), r.timestampSeconds());
            }
        }
        return events;
    }

    private static List<MovieLensRatings.Rating> readRatings(Path file) throws IOException {
        List<MovieLensRatings.Rating> all = new ArrayList<>();
        MovieLensRatings.read(file, new MovieLensRatings.Handler() {
            @Override
            public void rating(long line, MovieLensRatings.Rating rating) {
                all.add(rating);
            }

            @Override
            public void reject(InputReject reject) throws IOException {
                throw reject.toException();
            }
        });
        return all;
    }

    private void write(
            List<Run> runs,
            double[] chance,
            UserSequences warm,
            int warmRows,
            int coldItems,
            int coldCases,
            int stepsPerEpoch,
            HstuConfig match,
            double wall)
            throws IOException {
        String command = BenchReport.command(MatchColdStartBenchmark.class, args);
        List<String> methods = runs.stream().map(Run::method).distinct().toList();
        StringBuilder md = new StringBuilder(BenchReport.header(
                "Cold start: Match with genres vs id-only HSTU vs most-popular on ml-latest-small", command));
        md.append(String.format(Locale.ROOT, "- wall time: %.1f s%n%n", wall));
        md.append(String.format(
                Locale.ROOT,
                "Data: `%s` and its `movies.csv`: %d users; %d of the %d rated movies (share %.2f, chosen with"
                        + " `--split-seed %d`) removed from training entirely; %d warm movies. Training: %d epochs"
                        + " of %d steps (batch %d, windows %d events apart), the epoch with the best warm validation"
                        + " NDCG@10 kept. Model seeds: %s.%n%n",
                ratings,
                warm.size(),
                coldItems,
                coldItems + warmRows - 2,
                coldShare,
                splitSeed,
                warmRows - 2,
                epochs,
                stepsPerEpoch,
                batchSize,
                windowStride,
                runs.stream()
                        .filter(r -> r.seed() > 0)
                        .map(r -> Long.toString(r.seed()))
                        .distinct()
                        .toList()));
        md.append(String.format(
                Locale.ROOT,
                "Cold cases: %d, one per user who rated a removed movie after at least one other rating: the user's"
                        + " ratings before it are the history, the removed movie the target, ranked against all %d"
                        + " movies (history excluded). The removed movies get item rows after training: the id-only"
                        + " model scores them by untrained table rows, Match by its item tower from their genres"
                        + " alone (no id row), most-popular by a count of 0. Warm test: the usual leave-one-out test"
                        + " on the warm data (full ranking over the warm movies).%n%n",
                coldCases,
                coldItems + warmRows - 2));
        md.append("## Cold targets (mean over model seeds)\n\n| method | runs | R@1 | R@5 | R@10 | R@50 | NDCG@10 |"
                + " warm test HR@10 | warm test NDCG@10 | train s per run |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (String method : methods) {
            List<Run> of = runs.stream().filter(r -> r.method().equals(method)).toList();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %.0f |%n",
                    method,
                    of.size(),
                    stat(of, r -> r.cold().recall(1)),
                    stat(of, r -> r.cold().recall(5)),
                    stat(of, r -> r.cold().recall(10)),
                    stat(of, r -> r.cold().recall(50)),
                    stat(of, r -> r.cold().ndcg(10)),
                    stat(of, r -> r.warmTest().hr10()),
                    stat(of, r -> r.warmTest().ndcg10()),
                    of.stream().mapToDouble(Run::trainSeconds).average().orElse(0)));
        }
        md.append(String.format(
                Locale.ROOT,
                "| chance (random order) | - | %.4f | %.4f | %.4f | %.4f | - | - | - | - |%n",
                chance[0],
                chance[1],
                chance[2],
                chance[3]));
        md.append(String.format(
                Locale.ROOT,
                "| chance among the removed movies only | - | %.4f | %.4f | %.4f | %.4f | - | - | - | - |%n%n",
                Math.min(1.0, 1.0 / coldItems),
                Math.min(1.0, 5.0 / coldItems),
                Math.min(1.0, 10.0 / coldItems),
                Math.min(1.0, 50.0 / coldItems)));
        md.append("The second chance row is what a method that puts every removed movie above every other one, in"
                + " random order among them, would get: what an id-only model gets when its untrained rows happen to"
                + " sit closer to the queries than the trained ones.\n\n");
        md.append("Mean ± sample standard deviation over the model seeds where there are several; one target per case,"
                + " so recall@K is HR@K. Train seconds were taken on a shared machine: comparable between the rows of"
                + " one run only.\n\n");
        md.append(
                "## Cold targets ranked among the removed movies only\n\nThe same cases, every warm movie pushed below"
                        + " all removed ones: how well each method orders the removed movies among themselves.\n\n"
                        + "| method | runs | R@1 | R@5 | R@10 | R@50 | NDCG@10 |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (String method : methods) {
            List<Run> of = runs.stream().filter(r -> r.method().equals(method)).toList();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %s | %s |%n",
                    method,
                    of.size(),
                    stat(of, r -> r.coldOnly().recall(1)),
                    stat(of, r -> r.coldOnly().recall(5)),
                    stat(of, r -> r.coldOnly().recall(10)),
                    stat(of, r -> r.coldOnly().recall(50)),
                    stat(of, r -> r.coldOnly().ndcg(10))));
        }
        md.append(String.format(
                Locale.ROOT,
                "| chance (random order of the removed movies) | - | %.4f | %.4f | %.4f | %.4f | - |%n%n",
                Math.min(1.0, 1.0 / coldItems),
                Math.min(1.0, 5.0 / coldItems),
                Math.min(1.0, 10.0 / coldItems),
                Math.min(1.0, 50.0 / coldItems)));
        md.append("## Per model seed\n\n| method | seed | cold R@10 | cold R@50 | cold NDCG@10 | removed-only R@10 |"
                + " removed-only R@50 | warm test HR@10 | warm test R@50 | train s |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Run r : runs) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.0f |%n",
                    r.method(),
                    r.method().equals("most-popular") ? "-" : Long.toString(r.seed()),
                    r.cold().recall(10),
                    r.cold().recall(50),
                    r.cold().ndcg(10),
                    r.coldOnly().recall(10),
                    r.coldOnly().recall(50),
                    r.warmTest().hr10(),
                    r.warmTest().recall50(),
                    r.trainSeconds()));
        }
        md.append("\n## Match config\n\n```json\n").append(match.toJson()).append("\n```\n\n");
        md.append(BenchReport.loadAtEnd());
        BenchReport.write(results, md.toString());
    }

    private static String stat(List<Run> runs, java.util.function.ToDoubleFunction<Run> metric) {
        double[] v = runs.stream().mapToDouble(metric).toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length < 2) {
            return String.format(Locale.ROOT, "%.4f", mean);
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean, Math.sqrt(ss / (v.length - 1)));
    }

    /** @param args {@code --results <file>} then options */
    public static void main(String[] args) {
        MatchColdStartBenchmark benchmark = new MatchColdStartBenchmark();
        benchmark.args = args;
        System.exit(new CommandLine(benchmark).execute(args));
    }

    private String[] args = new String[0];
}
