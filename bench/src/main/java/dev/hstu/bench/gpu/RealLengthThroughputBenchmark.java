package dev.hstu.bench.gpu;

import dev.hstu.bench.BenchReport;
import dev.hstu.bench.training.TrainingThroughputBenchmark;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.LeaveOneOutSplit;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.train.BatchPrefetcher;
import dev.hstu.model.train.EpochBatches;
import dev.hstu.model.train.EpochTrainer;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import dev.hstu.model.train.TrainingWindows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Training throughput on real length distributions (issue 20, items 1 and 2): tokens and sequences per second of
 * {@link HstuTrainer#step}, the step both {@code hstu train} and the streaming trainer run, with the batches each
 * way of cutting an epoch gives, next to batches of uniform full-length sequences holding the same padded tokens.
 *
 * <p>Datasets: ml-latest-small (heavy-tailed: median 70 ratings per user), Amazon Beauty (8.9 events per user on
 * average) when its file is given, and a synthetic Zipf length distribution up to 4096. Per dataset the cases are
 * <ul>
 *   <li>{@code users N}: N sequences per step, sorted by length in groups ({@code hstu train --batch-size N});
 *   <li>{@code arrival N}: N sequences per step in the order their last event arrives, unsorted: how the jobs'
 *       trainer operator fills a micro-batch;
 *   <li>{@code tokens T}: as many sequences as fit T padded tokens ({@code hstu train --batch-tokens T});
 *   <li>{@code uniform T}: T / maxSeqLen sequences of maxSeqLen random events: the rate that the token budget is
 *       compared with.
 * </ul>
 * Tokens are real (unpadded) events; the padded area is sequences x longest, summed over steps.
 */
public final class RealLengthThroughputBenchmark {

    private RealLengthThroughputBenchmark() {}

    record Row(
            String dataset,
            String batching,
            int steps,
            long sequences,
            long tokens,
            long padded,
            double seconds,
            double buildSeconds,
            double gpuUtil,
            int peakMib,
            float lastLoss) {
        double tokensPerSecond() {
            return tokens / seconds;
        }

        double sequencesPerSecond() {
            return sequences / seconds;
        }

        double fill() {
            return (double) tokens / padded;
        }
    }

    public static void main(String[] args) throws Exception {
        GpuTrainerBenchmark.Options o = GpuTrainerBenchmark.Options.parse(args);
        String command = BenchReport.command(RealLengthThroughputBenchmark.class, args);
        String device = o.string("device", "gpu");
        double seconds = Double.parseDouble(o.string("seconds", "15"));
        int[] budgets = ints(o.string("budgets", "4096 16384 65536"));
        int[] zipfBudgets = ints(o.string("zipf-budgets", "16384 65536"));
        String header =
                BenchReport.header("gpu-real-lengths: trainer throughput on real length distributions", command);
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        List<String> datasets = List.of(o.string("datasets", "ml-latest-small amazon-beauty zipf-4096")
                .trim()
                .split("\\s+"));
        if (datasets.contains("ml-latest-small")) {
            Path ratings = Path.of(o.string("ratings", "data/ml-latest-small/ratings.csv"));
            ItemVocabulary items = new ItemVocabulary(Integer.MAX_VALUE - 8);
            UserSequences ml = InteractionFiles.movieLens(ratings, MovieLensActions.wholeStars())
                    .build(items, items::indexOrAssign);
            rows.addAll(dataset("ml-latest-small", ml, items.size(), 50, device, seconds, budgets, notes));
        }
        if (datasets.contains("amazon-beauty")) {
            Path beauty = Path.of(o.string("beauty", "data/amazon-beauty/Beauty.txt"));
            ItemVocabulary items = new ItemVocabulary(Integer.MAX_VALUE - 8);
            UserSequences users = InteractionFiles.sequenceText(beauty).build(items, items::indexOrAssign);
            rows.addAll(dataset("amazon-beauty", users, items.size(), 50, device, seconds, budgets, notes));
        }
        if (datasets.contains("zipf-4096")) {
            rows.addAll(dataset(
                    "zipf-4096",
                    zipf(o.integer("zipf-users", 40_000), 4096, 100_000, 7),
                    100_002,
                    4096,
                    device,
                    seconds,
                    zipfBudgets,
                    notes));
        }

        BenchReport.write(
                Path.of(o.string("results", "bench/results/gpu-real-lengths.md")), report(header, rows, notes, device));
    }

    private static List<Row> dataset(
            String name,
            UserSequences users,
            int itemRows,
            int maxSeqLen,
            String device,
            double seconds,
            int[] budgets,
            List<String> notes)
            throws IOException {
        LeaveOneOutSplit split = new LeaveOneOutSplit(users);
        List<TrainingWindows.Window> windows = EpochTrainer.trainingWindows(split, maxSeqLen, 0);
        int[] lengths =
                windows.stream().mapToInt(w -> w.to() - w.from()).sorted().toArray();
        notes.add(String.format(
                Locale.ROOT,
                "%s: %d training sequences (each user's most recent %d training events), mean length %.1f, median %d,"
                        + " 90th percentile %d, longest %d",
                name,
                lengths.length,
                maxSeqLen,
                Arrays.stream(lengths).average().orElse(0),
                lengths[lengths.length / 2],
                lengths[(int) (lengths.length * 0.9)],
                lengths[lengths.length - 1]));
        HstuConfig config = config(device, itemRows, maxSeqLen);
        List<Row> rows = new ArrayList<>();
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            model.setItemRowsInUse(itemRows);
            PackedBatch.Builder builder = split.sequences().newBuilder();
            List<List<TrainingWindows.Window>> arrival = arrival(windows, split, 32);
            rows.add(run(
                    name, "users 32", trainer, split, builder, plans(windows, EpochBatches.of(32, 0)), true, seconds));
            rows.add(run(name, "arrival 32", trainer, split, builder, epoch -> arrival, false, seconds));
            for (int budget : budgets) {
                rows.add(run(
                        name,
                        "tokens " + budget,
                        trainer,
                        split,
                        builder,
                        plans(windows, EpochBatches.of(32, budget)),
                        true,
                        seconds));
                rows.add(uniform(name, budget, trainer, config, seconds));
            }
            int largest = budgets[budgets.length - 1];
            rows.add(run(
                    name,
                    "tokens " + largest,
                    trainer,
                    split,
                    builder,
                    plans(windows, EpochBatches.of(32, largest)),
                    false,
                    seconds));
        }
        return rows;
    }

    /** The quality recipe's model (bench/results/quality-ml-latest-small.md): d=64, 2 layers, 2 heads. */
    private static HstuConfig config(String device, int itemRows, int maxSeqLen) {
        return HstuConfig.defaults()
                .with("runtime.device", device)
                .with("items.capacity", itemRows)
                .with("encoder.embeddingDim", 64)
                .with("encoder.maxSeqLen", maxSeqLen)
                .with("stu.numLayers", 2)
                .with("stu.numHeads", 2)
                .with("stu.attentionDim", 32)
                .with("stu.linearDim", 32)
                .with("stu.dropout", 0.5f)
                .with("stu.relativeTimeBias", false)
                .with("features.inputDropout", 0.2f)
                .with("task.numNegatives", 128)
                .with("task.inBatchNegatives", 128)
                .with("task.logQCorrection", true)
                .with("optimizer.learningRate", 0.002f)
                .with("optimizer.warmupSteps", 0)
                .validate();
    }

    private static IntFunction<List<List<TrainingWindows.Window>>> plans(
            List<TrainingWindows.Window> windows, EpochBatches batching) {
        return epoch -> batching.plan(windows, new SplittableRandom(42 + epoch));
    }

    /** Batches in the order each window's last event happened, as a stream delivers them; not sorted by length. */
    private static List<List<TrainingWindows.Window>> arrival(
            List<TrainingWindows.Window> windows, LeaveOneOutSplit split, int size) {
        List<TrainingWindows.Window> order = new ArrayList<>(windows);
        order.sort(Comparator.comparingLong(w -> split.sequences().timestamps().get(w.user())[w.to() - 1]));
        List<List<TrainingWindows.Window>> batches = new ArrayList<>();
        for (int b = 0; b < order.size(); b += size) {
            batches.add(order.subList(b, Math.min(order.size(), b + size)));
        }
        return batches;
    }

    private static Row run(
            String dataset,
            String batching,
            HstuTrainer trainer,
            LeaveOneOutSplit split,
            PackedBatch.Builder builder,
            IntFunction<List<List<TrainingWindows.Window>>> epochPlan,
            boolean prefetch,
            double seconds) {
        long[] buildNanos = {0};
        long sequences = 0;
        long tokens = 0;
        long padded = 0;
        int steps = 0;
        int warmup = 5;
        float loss = Float.NaN;
        long start = 0;
        GpuSampler gpu = null;
        // epochs are planned again with the next seed until the time is up, as hstu train's epochs follow each other
        for (int epoch = 0; gpu == null || (System.nanoTime() - start) / 1e9 < seconds; epoch++) {
            List<List<TrainingWindows.Window>> batches = epochPlan.apply(epoch);
            IntFunction<PackedBatch> build = i -> {
                long t0 = System.nanoTime();
                PackedBatch b = TrainingWindows.batch(split, batches.get(i), builder);
                buildNanos[0] += System.nanoTime() - t0;
                return b;
            };
            try (BatchPrefetcher prefetcher = prefetch ? new BatchPrefetcher(batches.size(), build) : null) {
                for (int i = 0; i < batches.size(); i++) {
                    if (gpu != null && (System.nanoTime() - start) / 1e9 >= seconds) {
                        break;
                    }
                    StepResult r = trainer.step(prefetch ? prefetcher.take(i) : build.apply(i));
                    if (warmup > 0 && --warmup == 0) {
                        gpu = GpuSampler.start();
                        buildNanos[0] = 0;
                        start = System.nanoTime();
                        continue;
                    }
                    if (gpu == null) {
                        continue;
                    }
                    loss = r.loss();
                    int longest = 0;
                    for (TrainingWindows.Window w : batches.get(i)) {
                        int len = w.to() - w.from();
                        tokens += len;
                        longest = Math.max(longest, len);
                    }
                    padded += (long) longest * batches.get(i).size();
                    sequences += batches.get(i).size();
                    steps++;
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        try (GpuSampler sampler = gpu) {
            return print(new Row(
                    dataset,
                    batching + (prefetch ? "" : ", built between steps"),
                    steps,
                    sequences,
                    tokens,
                    padded,
                    elapsed,
                    buildNanos[0] / 1e9,
                    sampler.meanUtilisation(),
                    sampler.peakMemoryMib(),
                    loss));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Row uniform(String dataset, int budget, HstuTrainer trainer, HstuConfig config, double seconds)
            throws IOException {
        int length = config.encoder().maxSeqLen();
        int size = Math.max(1, budget / length);
        // one batch, built once: the device-only rate, no host packing in it
        PackedBatch batch = TrainingThroughputBenchmark.batch(config, size, length, 3);
        for (int i = 0; i < 3; i++) {
            trainer.step(batch);
        }
        int steps = 0;
        float loss = Float.NaN;
        long start = System.nanoTime();
        try (GpuSampler gpu = GpuSampler.start()) {
            while ((System.nanoTime() - start) / 1e9 < seconds) {
                loss = trainer.step(batch).loss();
                steps++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long tokens = (long) steps * size * length;
            return print(new Row(
                    dataset,
                    "uniform " + budget + " (" + size + " x " + length + ")",
                    steps,
                    (long) steps * size,
                    tokens,
                    tokens,
                    elapsed,
                    0,
                    gpu.meanUtilisation(),
                    gpu.peakMemoryMib(),
                    loss));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Users with Zipf-distributed lengths (exponent 1.1, 3 to {@code maxLength} events), random items. */
    static UserSequences zipf(int users, int maxLength, int items, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UserSequences.Collector events = new UserSequences.Collector();
        for (int u = 0; u < users; u++) {
            double x = 3 / Math.pow(1 - random.nextDouble(), 1 / 1.1);
            int length = (int) Math.min(maxLength + 2, x);
            long t = 1_500_000_000L;
            for (int i = 0; i < length; i++) {
                events.add(u, 1 + random.nextInt(items), 1, t);
                t += 1 + random.nextInt(3600);
            }
        }
        ItemVocabulary vocabulary = new ItemVocabulary(items + 2);
        return events.build(vocabulary, vocabulary::indexOrAssign);
    }

    private static Row print(Row r) {
        System.out.printf(
                Locale.ROOT,
                "%s %s: %.0f tokens/s, %.0f seq/s, fill %.2f, host build %.1f s of %.1f s, gpu %.0f%%, %d MiB%n",
                r.dataset(),
                r.batching(),
                r.tokensPerSecond(),
                r.sequencesPerSecond(),
                r.fill(),
                r.buildSeconds(),
                r.seconds(),
                r.gpuUtil(),
                r.peakMib());
        return r;
    }

    private static String report(String header, List<Row> rows, List<String> notes, String device) {
        StringBuilder md = new StringBuilder(header);
        md.append("- device: ").append(device).append("\n");
        md.append("- model: the quality recipe's HSTU (d=64, 2 layers, 2 heads, 128 sampled + 128 in-batch negatives,"
                + " logQ, dropout 0.5), float32, AdamW; every position a target\n");
        for (String note : notes) {
            md.append("- ").append(note).append("\n");
        }
        md.append("\n## Throughput\n\n");
        md.append(
                "tokens = real (unpadded) events trained; fill = tokens / padded area; vs uniform = tokens/s over"
                        + " the uniform full-length rate at the same token budget (for `users` and `arrival`: the budget"
                        + " nearest their mean padded area). host build s = time spent packing batches on the host (on the prefetch thread,"
                        + " overlapping the steps, unless the case says the batches were built between steps). GPU % and MiB from nvidia-smi every 200 ms during the case.\n\n");
        md.append(
                "| dataset | batching | steps | tokens/s | sequences/s | fill | vs uniform | host build s / run s | GPU % | peak MiB | last loss |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            Row uniform = nearestUniform(rows, r);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.0f | %.0f | %.2f | %s | %.1f / %.1f | %s | %s | %.3f |%n",
                    r.dataset(),
                    r.batching(),
                    r.steps(),
                    r.tokensPerSecond(),
                    r.sequencesPerSecond(),
                    r.fill(),
                    uniform == null || uniform == r
                            ? "-"
                            : String.format(Locale.ROOT, "%.2f", r.tokensPerSecond() / uniform.tokensPerSecond()),
                    r.buildSeconds(),
                    r.seconds(),
                    Double.isNaN(r.gpuUtil()) ? "-" : String.format(Locale.ROOT, "%.0f", r.gpuUtil()),
                    r.peakMib() < 0 ? "-" : Integer.toString(r.peakMib()),
                    r.lastLoss()));
        }
        md.append(BenchReport.loadAtEnd());
        return md.toString();
    }

    /** The uniform row of the same dataset whose budget is nearest this row's mean padded area per step. */
    private static Row nearestUniform(List<Row> rows, Row r) {
        if (r.batching().startsWith("uniform")) {
            return r;
        }
        double area = (double) r.padded() / Math.max(1, r.steps());
        Row best = null;
        for (Row u : rows) {
            if (u.dataset().equals(r.dataset()) && u.batching().startsWith("uniform")) {
                double uArea = (double) u.padded() / Math.max(1, u.steps());
                if (best == null
                        || Math.abs(Math.log(uArea / area))
                                < Math.abs(Math.log((double) best.padded() / best.steps() / area))) {
                    best = u;
                }
            }
        }
        return best;
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.trim().split("\\s+"))
                .mapToInt(Integer::parseInt)
                .toArray();
    }
}
