package dev.hstu.bench.serving;

import dev.hstu.bench.BenchReport;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.model.HstuModel;
import dev.hstu.model.cli.TrainCommand;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.serve.CacheWindow;
import dev.hstu.model.serve.IncrementalEncoder;
import dev.hstu.model.serve.KvCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import picocli.CommandLine;

/**
 * Incremental query encoding (issue 19, item 1): what an event costs with a K/V cache against a full re-encode, the
 * state it keeps per user, and how far the {@link CacheWindow} policy's queries are from a full encode of the newest
 * {@code maxSeqLen} events once a user's history fills the window.
 *
 * <p>Part 1 times one event on random models at the quality recipe's size and larger, for histories of 50 to 1000
 * events. Part 2 trains a model on ml-latest-small with {@code hstu train} (the quality recipe, fewer epochs), replays
 * sampled users' histories event by event and compares, at each event, each policy's query with the full window's:
 * cosine similarity and the overlap of their top-10 items (history not excluded: the same for both).
 *
 * <p>Usage: {@code bench/run incremental-encoding [--ratings data/ml-latest-small/ratings.csv] [--users 100]
 * [--events 150] [--epochs 8] [--seed 42]}
 */
public final class IncrementalEncodingBenchmark {

    private record Cost(int dim, int layers, int history, double fullMs, double appendMs, long stateBytes) {}

    private record PolicyRow(
            int slack,
            long events,
            long appends,
            double meanCosine,
            double minCosine,
            double meanTop10Overlap,
            double msPerEvent) {}

    public static void main(String[] args) throws Exception {
        Path results = null;
        Path ratings = Path.of("data/ml-latest-small/ratings.csv");
        int users = 100;
        int eventsPerUser = 150;
        int epochs = 8;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--ratings" -> ratings = Path.of(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--events" -> eventsPerUser = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + " (use --results FILE --ratings CSV --users N --events N --epochs N --seed N)");
            }
        }
        if (results == null) {
            throw new IllegalArgumentException("--results FILE is required (bench/run passes it)");
        }
        String header = BenchReport.header(
                "incremental-encoding: K/V-cached query encoding against a full re-encode",
                BenchReport.command(IncrementalEncodingBenchmark.class, args));

        List<Cost> costs = new ArrayList<>();
        for (int[] size : new int[][] {{64, 2}, {256, 4}}) {
            for (int history : new int[] {50, 200, 1000}) {
                costs.add(cost(size[0], size[1], history));
                Cost c = costs.get(costs.size() - 1);
                System.out.printf(
                        Locale.ROOT,
                        "d=%d layers=%d history=%d: full %.2f ms, append %.2f ms%n",
                        c.dim(),
                        c.layers(),
                        c.history(),
                        c.fullMs(),
                        c.appendMs());
            }
        }

        Path models = Files.createTempDirectory("hstu-incremental-");
        String[] train = {
            "--ratings",
            ratings.toString(),
            "--out",
            models.toString(),
            "--max-seq-len",
            "50",
            "--dropout",
            "0.5",
            "--lr",
            "0.002",
            "--input-dropout",
            "0.2",
            "--time-bias",
            "false",
            "--logq",
            "true",
            "--epochs",
            String.valueOf(epochs),
            "--patience",
            "8",
            "--window-stride",
            "25",
            "--set",
            "model.runtime.seed=" + seed
        };
        int rc = new CommandLine(new TrainCommand()).execute(train);
        if (rc != 0) {
            throw new IllegalStateException("hstu train failed with " + rc);
        }
        Path dir = ModelStore.resolve(models);
        List<PolicyRow> policies = new ArrayList<>();
        int replayed;
        try (HstuModel model = HstuModel.load(dir)) {
            ItemVocabulary vocabulary = ItemVocabulary.load(ModelFiles.vocabulary(dir));
            UserSequences all = InteractionFiles.movieLens(ratings, MovieLensActions.wholeStars())
                    .build(vocabulary, vocabulary::indexOf);
            List<Integer> longUsers = new ArrayList<>();
            int maxSeqLen = model.config().encoder().maxSeqLen();
            for (int u = 0; u < all.size(); u++) {
                if (all.items().get(u).length > maxSeqLen + 10) {
                    longUsers.add(u);
                }
            }
            SplittableRandom random = new SplittableRandom(seed);
            List<Integer> sample = new ArrayList<>();
            while (sample.size() < Math.min(users, longUsers.size())) {
                Integer u = longUsers.get(random.nextInt(longUsers.size()));
                if (!sample.contains(u)) {
                    sample.add(u);
                }
            }
            replayed = sample.size();
            float[] items = model.itemEmbeddings();
            for (int slack : new int[] {0, 5, 10, 25}) {
                policies.add(replay(model, all, sample, eventsPerUser, new CacheWindow(maxSeqLen, slack), items));
                PolicyRow p = policies.get(policies.size() - 1);
                System.out.printf(
                        Locale.ROOT,
                        "slack %d: %d events, %d appends, cosine mean %.5f min %.5f, top-10 overlap %.3f, %.2f ms/event%n",
                        p.slack(),
                        p.events(),
                        p.appends(),
                        p.meanCosine(),
                        p.minCosine(),
                        p.meanTop10Overlap(),
                        p.msPerEvent());
            }
        }

        StringBuilder md = new StringBuilder(header);
        md.append("\n## Cost of one event\n\n"
                + "Random HSTU models (heads = d/32, the rest as `HstuConfig.defaults()`), one user: full = `HstuModel.encodeQueries` of the history plus the new event;"
                + " append = `IncrementalEncoder.append` from the cache of the history. Medians of 30 timed calls"
                + " after 5 warm-ups, PyTorch CPU engine through DJL. State = `KvCache.bytes()` after the event.\n\n"
                + "| d | layers | history | full ms | append ms | speed-up | state bytes per user |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cost c : costs) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %d | %d | %.2f | %.2f | %.1fx | %,d |%n",
                    c.dim(),
                    c.layers(),
                    c.history(),
                    c.fullMs(),
                    c.appendMs(),
                    c.fullMs() / c.appendMs(),
                    c.stateBytes()));
        }
        md.append("\n## Window policy on ml-latest-small\n\n"
                + String.format(
                        Locale.ROOT,
                        "Model: `hstu train %s` (max length 50). Replay: %d users with more than 60 ratings, drawn"
                                + " with seed %d, their first %d events each in time order; at every event after the"
                                + " 50th (the figures below count only those) the policy's query is compared with a full encode of the newest 50 events (the"
                                + " exact query). An append extends the cache by the new event; every other event"
                                + " is a re-encode of `min(history, 50 - slack)` events (`CacheWindow`). Until a"
                                + " history fills the window both are the same query (appends, equal within 1e-5,"
                                + " see `IncrementalEncoderTest`).%n%n",
                        String.join(" ", Arrays.copyOfRange(train, 0, 2)) + " --out DIR "
                                + String.join(" ", Arrays.copyOfRange(train, 4, train.length)),
                        replayed,
                        seed,
                        eventsPerUser)
                + "| slack | events | appends | re-encodes | cosine to exact, mean | min | top-10 overlap, mean"
                + " | ms per event |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PolicyRow p : policies) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %,d | %,d | %,d | %.5f | %.5f | %.3f | %.2f |%n",
                    p.slack(),
                    p.events(),
                    p.appends(),
                    p.events() - p.appends(),
                    p.meanCosine(),
                    p.minCosine(),
                    p.meanTop10Overlap(),
                    p.msPerEvent()));
        }
        md.append('\n').append(BenchReport.loadAtEnd());
        BenchReport.write(results, md.toString());
    }

    private static Cost cost(int dim, int layers, int history) {
        HstuConfig config = HstuConfig.defaults()
                .with("items.capacity", 9_726)
                .with("encoder.embeddingDim", dim)
                .with("stu.numLayers", layers)
                .with("stu.numHeads", Math.max(1, dim / 32))
                .with("encoder.maxSeqLen", history + 1)
                .validate();
        SplittableRandom random = new SplittableRandom(history);
        int n = history + 1;
        int[] items = new int[n];
        int[] actions = new int[n];
        long[] ts = new long[n];
        long t = 1_500_000_000L;
        for (int i = 0; i < n; i++) {
            items[i] = 2 + random.nextInt(9_700);
            t += random.nextInt(100_000);
            ts[i] = t;
        }
        PackedBatch before = window(items, actions, ts, 0, history);
        PackedBatch after = window(items, actions, ts, 0, n);
        try (HstuModel model = HstuModel.create(config)) {
            IncrementalEncoder encoder = new IncrementalEncoder(model);
            KvCache cache = encoder.encode(before).cache();
            double full = medianMs(() -> model.encodeQueries(after));
            double append = medianMs(() -> encoder.append(cache, after));
            return new Cost(
                    dim,
                    layers,
                    history,
                    full,
                    append,
                    encoder.append(cache, after).cache().bytes());
        }
    }

    private static double medianMs(Runnable call) {
        for (int i = 0; i < 5; i++) {
            call.run();
        }
        double[] ms = new double[30];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static PolicyRow replay(
            HstuModel model,
            UserSequences all,
            List<Integer> sample,
            int eventsPerUser,
            CacheWindow policy,
            float[] itemTable) {
        IncrementalEncoder encoder = new IncrementalEncoder(model);
        int maxSeqLen = model.config().encoder().maxSeqLen();
        long events = 0;
        long appends = 0;
        double cosineSum = 0;
        double minCosine = 1;
        double overlapSum = 0;
        long nanos = 0;
        for (int u : sample) {
            int[] items = all.items().get(u);
            int[] actions = all.actions().get(u);
            long[] ts = all.timestamps().get(u);
            KvCache cache = null;
            int end = Math.min(items.length, eventsPerUser);
            for (int e = 1; e <= end; e++) {
                int length = policy.length(cache == null ? 0 : cache.length(), e);
                long start = System.nanoTime();
                IncrementalEncoder.Encoded next = encoder.append(cache, window(items, actions, ts, e - length, e));
                if (e > maxSeqLen) {
                    nanos += System.nanoTime() - start;
                }
                cache = next.cache();
                if (e <= maxSeqLen) {
                    continue; // the window is not full: an append, the exact query by construction
                }
                if (next.incremental()) {
                    appends++;
                }
                float[] exact = model.encodeQueries(window(items, actions, ts, Math.max(0, e - maxSeqLen), e));
                double cosine = dot(next.query(), 0, exact, 0, exact.length);
                cosineSum += cosine;
                minCosine = Math.min(minCosine, cosine);
                overlapSum += overlap(top10(next.query(), itemTable), top10(exact, itemTable));
                events++;
            }
        }
        return new PolicyRow(
                policy.slack(),
                events,
                appends,
                cosineSum / events,
                minCosine,
                overlapSum / events,
                nanos / 1e6 / events);
    }

    private static PackedBatch window(int[] items, int[] actions, long[] ts, int from, int to) {
        return PackedBatch.builder()
                .addSequence(items, actions, ts, from, to - from, 0)
                .build();
    }

    private static int[] top10(float[] query, float[] table) {
        int d = query.length;
        int rows = table.length / d;
        int[] best = new int[10];
        float[] scores = new float[10];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < rows; r++) {
            float s = (float) dot(query, 0, table, r * d, d);
            if (s > scores[9]) {
                int i = 9;
                while (i > 0 && scores[i - 1] < s) {
                    scores[i] = scores[i - 1];
                    best[i] = best[i - 1];
                    i--;
                }
                scores[i] = s;
                best[i] = r;
            }
        }
        return best;
    }

    private static double overlap(int[] a, int[] b) {
        int common = 0;
        for (int x : a) {
            for (int y : b) {
                if (x == y) {
                    common++;
                    break;
                }
            }
        }
        return common / 10.0;
    }

    private static double dot(float[] a, int from, float[] b, int offset, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += a[from + i] * b[offset + i];
        }
        return s;
    }
}
