package dev.hstu.bench.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.bench.BenchReport;
import dev.hstu.bench.MemoryPeak;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Top-K retrieval (issue 7): queries/s, latency, recall@k and memory peak of top-100 by dot product over 100k and
 * 1M unit-norm items of dimension 64. Exact paths: DJL (one matmul + topK per batch of queries, as
 * {@code HstuModel.recommend} does), a scalar Java scan and a SIMD Java scan (Vector API, on one core and on all).
 * Approximate path: an HNSW graph (hnswlib-core) at several beam widths. The exact scans' effective read rate is
 * compared with the machine's measured memory bandwidth, the bound the issue sets as goal.
 *
 * <p>Usage: {@code bench/run retrieval [--dim 64] [--k 100] [--seconds 5] [--items 100000,1000000] [--m 16]
 * [--ef-construction 100] [--ef 100,200,400,800] [--recall-queries 200]}
 */
public final class RetrievalBenchmark {

    private static final int QUERY_POOL = 1024;

    /** The ids found for {@code count} queries from the pool, starting at query {@code first}. */
    @FunctionalInterface
    private interface Search {
        int[][] run(int first, int count) throws Exception;
    }

    private record Timing(int queries, double seconds, double p50Ms, double p99Ms, int batches) {}

    private record Options(
            Path results,
            int dim,
            int k,
            double seconds,
            int[] sizes,
            int m,
            int efConstruction,
            int[] efs,
            int recallQueries) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        int dim = o.dim();
        int k = o.k();
        int m = o.m();
        int efConstruction = o.efConstruction();
        double budgetSeconds = o.seconds();
        int recallQueries = o.recallQueries();
        String header = BenchReport.header(
                "retrieval: top-" + k + " by dot product, d=" + dim + ", exact and HNSW",
                BenchReport.command(RetrievalBenchmark.class, args));
        long started = System.nanoTime();
        int cores = Runtime.getRuntime().availableProcessors();
        MemoryPeak peak = new MemoryPeak();
        List<RetrievalRow> rows = new ArrayList<>();
        for (int items : o.sizes()) {
            float[] table = unitRows(items, dim, 1);
            float[] queries = unitRows(QUERY_POOL, dim, 2);
            int[][] truth = scalarSearch(table, queries, dim, k).run(0, recallQueries);
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray itemsNd = manager.create(table, new Shape(items, dim));
                for (int batch : new int[] {1, 32, 256}) {
                    rows.add(measure(
                            "DJL matmul+topK",
                            items,
                            batch,
                            dim,
                            djlSearch(manager, itemsNd, queries, dim, k),
                            budgetSeconds,
                            truth,
                            Double.NaN,
                            peak));
                }
            }
            rows.add(measure(
                    "Java scalar scan",
                    items,
                    1,
                    dim,
                    scalarSearch(table, queries, dim, k),
                    budgetSeconds,
                    null,
                    Double.NaN,
                    peak));
            for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
                try (ParallelScan scan = new ParallelScan(table, dim, threads, k)) {
                    rows.add(measure(
                            "Java SIMD scan, " + threads + (threads == 1 ? " thread" : " threads"),
                            items,
                            1,
                            dim,
                            (first, count) -> new int[][] {scan.topK(queries, poolOffset(first, dim))},
                            budgetSeconds,
                            truth,
                            Double.NaN,
                            peak));
                }
            }
            peak.reset();
            long t0 = System.nanoTime();
            AnnRetrieval ann = AnnRetrieval.build(table, dim, m, efConstruction, cores);
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "HNSW build, %,d items: %.1f s%n", items, buildSeconds);
            rows.add(new RetrievalRow(
                    "HNSW build (M=" + m + ", efConstruction=" + efConstruction + ", " + cores + " threads)",
                    items,
                    0,
                    0,
                    0,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    buildSeconds,
                    peak.read()));
            for (int ef : o.efs()) {
                ann.setEf(ef);
                rows.add(measure(
                        "HNSW ef=" + ef,
                        items,
                        1,
                        dim,
                        (first, count) -> new int[][] {ann.topK(queries, poolOffset(first, dim), k)},
                        budgetSeconds,
                        truth,
                        Double.NaN,
                        peak));
            }
        }
        double torchGBs;
        try (NDManager manager = NDManager.newBaseManager()) {
            torchGBs = MemoryBandwidth.torchReadGBs(manager);
        }
        double javaGBs = MemoryBandwidth.javaReadGBs();
        System.out.printf(
                Locale.ROOT, "read bandwidth: PyTorch sum %.1f GB/s, Java reduction %.1f GB/s%n", torchGBs, javaGBs);
        double minutes = (System.nanoTime() - started) / 60e9;
        BenchReport.write(
                o.results(),
                RetrievalReport.markdown(
                        header,
                        rows,
                        new RetrievalReport.Setup(
                                k,
                                m,
                                efConstruction,
                                cores,
                                SimdScan.lanes(),
                                recallQueries,
                                minutes,
                                torchGBs,
                                javaGBs)));
    }

    private static Options parse(String[] args) {
        Path results = null;
        int dim = 64;
        int k = 100;
        double seconds = 5;
        int[] sizes = {100_000, 1_000_000};
        int m = 16;
        int efConstruction = 100;
        int[] efs = {100, 200, 400, 800};
        int recallQueries = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--dim" -> dim = Integer.parseInt(args[++i]);
                case "--k" -> k = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--items" -> sizes = ints(args[++i]);
                case "--m" -> m = Integer.parseInt(args[++i]);
                case "--ef-construction" -> efConstruction = Integer.parseInt(args[++i]);
                case "--ef" -> efs = ints(args[++i]);
                case "--recall-queries" -> recallQueries = Math.min(QUERY_POOL, Integer.parseInt(args[++i]));
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument " + args[i] + " (use --results FILE"
                                    + " --dim N --k N --seconds S --items N,N --m N --ef-construction N --ef N,N --recall-queries N)");
            }
        }
        if (results == null) {
            throw new IllegalArgumentException("--results FILE is required (bench/run passes it)");
        }
        return new Options(results, dim, k, seconds, sizes, m, efConstruction, efs, recallQueries);
    }

    private static RetrievalRow measure(
            String engine,
            int items,
            int batch,
            int dim,
            Search search,
            double budgetSeconds,
            int[][] truth,
            double buildSeconds,
            MemoryPeak peak)
            throws Exception {
        peak.reset();
        Timing timing = time(search, batch, budgetSeconds);
        double recall = truth == null ? Double.NaN : Recall.mean(truth, searchAll(search, truth.length, batch));
        boolean scans = !engine.startsWith("HNSW");
        RetrievalRow row = new RetrievalRow(
                engine,
                items,
                batch,
                timing.queries(),
                timing.seconds(),
                timing.p50Ms(),
                timing.p99Ms(),
                scans ? (double) timing.batches() * items * dim * Float.BYTES / timing.seconds() / 1e9 : Double.NaN,
                recall,
                buildSeconds,
                peak.read());
        System.out.printf(
                Locale.ROOT,
                "%s, %,d items, batch %d: %,.0f queries/s, p99 %.2f ms, recall %.3f, heap "
                        + "peak %d MB, RSS peak %d MB%n",
                engine,
                items,
                batch,
                timing.queries() / timing.seconds(),
                timing.p99Ms(),
                recall,
                row.memory().heapMb(),
                row.memory().rssMb());
        return row;
    }

    /**
     * Batches of queries, one after the other, until the budget is spent (at least five), after a warm-up of at
     * least three batches and one second, so the JIT has compiled the search loops before timing starts.
     */
    private static Timing time(Search search, int batch, double budgetSeconds) throws Exception {
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        for (int warm = 0; warm < 3 || System.nanoTime() < warmUntil; warm++) {
            search.run(warm * batch, batch);
        }
        List<Double> latencies = new ArrayList<>();
        int done = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (budgetSeconds * 1e9);
        while (System.nanoTime() < deadline || latencies.size() < 5) {
            long t0 = System.nanoTime();
            search.run(done, batch);
            latencies.add((System.nanoTime() - t0) / 1e6);
            done += batch;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Timing(done, seconds, percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.size());
    }

    /** The first {@code count} queries of the pool through {@code search}, in its own batch size. */
    private static int[][] searchAll(Search search, int count, int batch) throws Exception {
        int[][] found = new int[count][];
        for (int first = 0; first < count; first += batch) {
            int n = Math.min(batch, count - first);
            int[][] ids = search.run(first, n);
            System.arraycopy(ids, 0, found, first, n);
        }
        return found;
    }

    private static Search scalarSearch(float[] table, float[] queries, int dim, int k) {
        TopKHeap heap = new TopKHeap(k);
        int rows = table.length / dim;
        return (first, count) -> {
            int[][] ids = new int[count][];
            for (int q = 0; q < count; q++) {
                heap.clear();
                ScalarScan.scan(table, dim, 0, rows, queries, poolOffset(first + q, dim), heap);
                ids[q] = heap.ids();
            }
            return ids;
        };
    }

    private static Search djlSearch(NDManager manager, NDArray items, float[] queries, int dim, int k) {
        return (first, count) -> {
            try (NDManager step = manager.newSubManager()) {
                float[] q = new float[count * dim];
                for (int b = 0; b < count; b++) {
                    System.arraycopy(queries, poolOffset(first + b, dim), q, b * dim, dim);
                }
                NDArray scores = step.create(q, new Shape(count, dim)).matMul(items.transpose());
                NDList best = scores.topK(k, 1, true, true);
                long[] flat = best.get(1).toLongArray();
                best.get(0).toFloatArray();
                int[][] ids = new int[count][k];
                for (int b = 0; b < count; b++) {
                    for (int j = 0; j < k; j++) {
                        ids[b][j] = (int) flat[b * k + j];
                    }
                }
                return ids;
            }
        };
    }

    private static int poolOffset(int query, int dim) {
        return (query % QUERY_POOL) * dim;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .mapToInt(Integer::parseInt)
                .toArray();
    }

    private static double percentile(List<Double> values, double q) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** Random unit-norm rows, row-major. */
    public static float[] unitRows(int rows, int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                float v = (float) random.nextGaussian();
                out[r * dim + d] = v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < dim; d++) {
                out[r * dim + d] *= inv;
            }
        }
        return out;
    }
}
