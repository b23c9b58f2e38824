package dev.hstu.bench.scaling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.bench.BenchReport;
import dev.hstu.bench.LineChart;
import dev.hstu.bench.retrieval.RetrievalBenchmark;
import dev.hstu.bench.training.TrainingThroughputBenchmark;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.train.HstuTrainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * How the costs grow (issue: benchmark harness, item 4): the training step's cost per token as sequences get longer
 * (same tokens per batch, so only the attention's quadratic part grows), the latency of exact top-100 for one
 * query as the catalogue grows, and the ingest pipeline's latency and CPU per event as the offered event rate grows.
 * Writes a table and log-log charts (PNG) for each next to the results file.
 *
 * <p>Usage: {@code bench/run scaling [--steps 5] [--queries 40] [--rates 10000,50000,100000,200000]
 * [--rate-seconds 20] [--rate-users 10000] [--only length,catalogue,rate]}
 */
public final class ScalingBenchmark {

    private static final int[] LENGTHS = {25, 50, 100, 200, 400};
    private static final int TOKENS_PER_BATCH = 3_200;
    private static final int[] CATALOGUES = {10_000, 30_000, 100_000, 300_000, 1_000_000};
    private static final int DIM = 64;
    private static final int K = 100;

    private ScalingBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = null;
        int steps = 5;
        int queries = 40;
        int[] rates = {10_000, 50_000, 100_000, 200_000};
        int rateSeconds = 20;
        int rateUsers = 10_000;
        Set<String> only = Set.of("length", "catalogue", "rate");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--rates" ->
                    rates = Arrays.stream(args[++i].split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--rate-seconds" -> rateSeconds = Integer.parseInt(args[++i]);
                case "--rate-users" -> rateUsers = Integer.parseInt(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + " (use --results FILE --steps N --queries N --rates N,N --rate-seconds S --rate-users N"
                            + " --only length,catalogue,rate)");
            }
        }
        if (results == null) {
            throw new IllegalArgumentException("--results FILE is required (bench/run passes it)");
        }
        String header = BenchReport.header(
                "scaling: training cost per token vs sequence length, retrieval latency vs "
                        + "catalogue size, ingest latency and CPU vs event rate",
                BenchReport.command(ScalingBenchmark.class, args));

        StringBuilder md = new StringBuilder(header);
        Path dir = results.toAbsolutePath().getParent();
        if (only.contains("length")) {
            lengthAxis(md, dir, steps);
        }
        if (only.contains("catalogue")) {
            catalogueAxis(md, dir, queries);
        }
        if (only.contains("rate")) {
            EventRateAxis.measure(md, dir, rates, rateSeconds, rateUsers);
        }
        md.append('\n').append(BenchReport.loadAtEnd());
        BenchReport.write(results, md.toString());
    }

    private static void lengthAxis(StringBuilder md, Path dir, int steps) throws Exception {
        double[] msPerKiloToken = new double[LENGTHS.length];
        md.append("\n## Training step vs sequence length\n\nHSTU d=64, 2 layers, 2 heads, 128 uniform negatives, every "
                        + "position a target, on the CPU; ")
                .append(String.format(Locale.ROOT, "%,d", TOKENS_PER_BATCH))
                .append(" tokens per batch (fewer, longer sequences as the length grows); median of ")
                .append(steps)
                .append(
                        " steps after one warm-up.\n\n| length | sequences | step ms | ms per 1,000 tokens | tokens/s |\n"
                                + "|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < LENGTHS.length; i++) {
            int length = LENGTHS[i];
            int sequences = TOKENS_PER_BATCH / length;
            double stepMs = stepMs(length, sequences, steps);
            msPerKiloToken[i] = stepMs * 1000 / TOKENS_PER_BATCH;
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %d | %.1f | %.2f | %,.0f |%n",
                    length,
                    sequences,
                    stepMs,
                    msPerKiloToken[i],
                    TOKENS_PER_BATCH * 1000 / stepMs));
            System.out.printf(Locale.ROOT, "length %d: step %.1f ms%n", length, stepMs);
        }
        double[] lengths = Arrays.stream(LENGTHS).asDoubleStream().toArray();
        LineChart.write(
                dir.resolve("scaling-length.png"),
                "HSTU training step: cost per token vs sequence length",
                "sequence length",
                "ms per 1,000 tokens",
                lengths,
                msPerKiloToken);
        md.append("\nChart: `scaling-length.png`.\n");
    }

    private static void catalogueAxis(StringBuilder md, Path dir, int queries) throws Exception {
        double[] p50 = new double[CATALOGUES.length];
        md.append("\n## Exact top-")
                .append(K)
                .append(" vs catalogue size\n\nOne query at a time (batch 1), d=")
                .append(DIM)
                .append(", DJL matmul + topK on the CPU as the serving job runs it; p50 of ")
                .append(queries)
                .append(" queries after five warm-up queries.\n\n| items | p50 ms | table MB | scan GB/s |\n"
                        + "|---:|---:|---:|---:|\n");
        for (int i = 0; i < CATALOGUES.length; i++) {
            int items = CATALOGUES[i];
            p50[i] = topKMs(items, queries);
            double tableMb = (double) items * DIM * Float.BYTES / 1e6;
            md.append(String.format(
                    Locale.ROOT,
                    "| %,d | %.2f | %.1f | %.1f |%n",
                    items,
                    p50[i],
                    tableMb,
                    tableMb / 1e3 / (p50[i] / 1e3)));
            System.out.printf(Locale.ROOT, "items %d: p50 %.2f ms%n", items, p50[i]);
        }
        LineChart.write(
                dir.resolve("scaling-catalogue.png"),
                "Exact top-100, one query: latency vs catalogue size",
                "items",
                "p50 ms",
                Arrays.stream(CATALOGUES).asDoubleStream().toArray(),
                p50);
        md.append("\nChart: `scaling-catalogue.png`.\n");
    }

    private static double stepMs(int length, int sequences, int steps) {
        HstuConfig config = HstuConfig.defaults()
                .with("items.capacity", 9_726)
                .with("encoder.embeddingDim", DIM)
                .with("stu.numLayers", 2)
                .with("stu.numHeads", 2)
                .with("encoder.maxSeqLen", length)
                .with("task.numNegatives", 128)
                .with("task.inBatchNegatives", 0)
                .validate();
        PackedBatch batch = TrainingThroughputBenchmark.batch(config, sequences, length, 7);
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            model.setItemRowsInUse(config.items().capacity());
            trainer.step(batch);
            double[] ms = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                trainer.step(batch);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            return TrainingThroughputBenchmark.median(ms);
        }
    }

    private static double topKMs(int items, int queries) {
        float[] table = RetrievalBenchmark.unitRows(items, DIM, 1);
        float[] query = RetrievalBenchmark.unitRows(queries + 5, DIM, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray itemsT = manager.create(table, new Shape(items, DIM)).transpose();
            double[] ms = new double[queries];
            for (int q = -5; q < queries; q++) {
                float[] one = Arrays.copyOfRange(query, (q + 5) * DIM, (q + 6) * DIM);
                long t0 = System.nanoTime();
                try (NDManager step = manager.newSubManager()) {
                    NDArray scores = step.create(one, new Shape(1, DIM)).matMul(itemsT);
                    NDList best = scores.topK(K, 1, true, true);
                    best.get(1).toLongArray();
                    best.get(0).toFloatArray();
                }
                if (q >= 0) {
                    ms[q] = (System.nanoTime() - t0) / 1e6;
                }
            }
            return TrainingThroughputBenchmark.median(ms);
        }
    }
}
