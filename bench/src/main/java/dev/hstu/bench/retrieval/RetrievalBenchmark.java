package dev.hstu.bench.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.bench.BenchReport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Exact top-K retrieval (issue: benchmark harness, item 3): queries/s and latency of top-100 by dot product over
 * 100k and 1M unit-norm items of dimension 64, with DJL (one matmul + topK per batch of queries, as
 * {@code HstuModel.recommend} does) and with a plain Java scan (one query at a time, a bounded heap). The effective
 * scan rate (item-table bytes read per second) is reported against the memory-bandwidth bound the issue sets as goal.
 *
 * <p>Usage: {@code bench/run retrieval [--dim 64] [--k 100] [--seconds 5]}
 */
public final class RetrievalBenchmark {

    private record Row(String engine, int items, int batch, int queries, double seconds, double p50Ms,
            double p99Ms, double scanGBs) {}

    public static void main(String[] args) throws Exception {
        Path results = null;
        int dim = 64;
        int k = 100;
        double budgetSeconds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--dim" -> dim = Integer.parseInt(args[++i]);
                case "--k" -> k = Integer.parseInt(args[++i]);
                case "--seconds" -> budgetSeconds = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --results FILE --dim N --k N --seconds S)");
            }
        }
        if (results == null) {
            throw new IllegalArgumentException("--results FILE is required (bench/run passes it)");
        }
        String header = BenchReport.header("retrieval: exact top-" + k + " by dot product, d=" + dim,
                BenchReport.command(RetrievalBenchmark.class, args));
        List<Row> rows = new ArrayList<>();
        for (int items : new int[] {100_000, 1_000_000}) {
            float[] table = unitRows(items, dim, 1);
            float[] queries = unitRows(1024, dim, 2);
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray itemsNd = manager.create(table, new Shape(items, dim));
                for (int batch : new int[] {1, 32, 256}) {
                    rows.add(djl(manager, itemsNd, queries, items, dim, k, batch, budgetSeconds));
                    System.out.println(rows.get(rows.size() - 1));
                }
            }
            rows.add(java(table, queries, items, dim, k, budgetSeconds));
            System.out.println(rows.get(rows.size() - 1));
        }
        double torchGBs;
        try (NDManager manager = NDManager.newBaseManager()) {
            torchGBs = MemoryBandwidth.torchReadGBs(manager);
        }
        double javaGBs = MemoryBandwidth.javaReadGBs();
        double bandwidth = Math.max(torchGBs, javaGBs);
        System.out.printf(Locale.ROOT, "read bandwidth: PyTorch sum %.1f GB/s, Java reduction %.1f GB/s%n", torchGBs,
                javaGBs);
        StringBuilder md = new StringBuilder(header);
        md.append("- items: random unit vectors, row-major float32; queries: random unit vectors\n"
                + "- DJL: `queries.matMul(items.transpose())` then `topK(k)` per batch, PyTorch CPU engine; latency is "
                + "per batch\n- Java: scalar dot products over the table, top-k kept in a bounded min-heap, one query "
                + "at a time\n- scan GB/s = item-table bytes read per second (a batch reads the table once)\n\n");
        md.append("| engine | items | batch | queries | queries/s | p50 ms/batch | p99 ms/batch | scan GB/s |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %d | %,d | %,.0f | %.2f | %.2f | %.1f |%n", r.engine(),
                    r.items(), r.batch(), r.queries(), r.queries() / r.seconds(), r.p50Ms(), r.p99Ms(), r.scanGBs()));
        }
        md.append("\n## Goal\n\nExact search within 2x of the memory-bandwidth limit (issue 7). A batch of one reads "
                + "the whole table per query, so its scan rate is the figure to compare with the machine's memory "
                + "bandwidth; larger batches reuse each row for many queries and become compute-bound.\n\n");
        md.append(String.format(Locale.ROOT, "- measured read bandwidth (1 GiB, best of %d passes after a warm-up): "
                + "PyTorch `sum` %.1f GB/s, Java reduction on %d threads %.1f GB/s; the bound used is %.1f GB/s%n",
                5, torchGBs, Runtime.getRuntime().availableProcessors(), javaGBs, bandwidth));
        for (Row r : rows) {
            if (r.batch() == 1 && r.items() == 1_000_000) {
                // 1M x d floats do not fit in cache, so this scan is the one memory bounds
                double ratio = bandwidth / r.scanGBs();
                md.append(String.format(Locale.ROOT, "- %s, 1,000,000 items, batch 1: %.1f GB/s, %.2fx below the "
                        + "bound: %s%n", r.engine(), r.scanGBs(), ratio,
                        ratio <= 2 ? "within the 2x goal" : "NOT within the 2x goal"));
            }
        }
        BenchReport.write(results, md.toString());
    }

    private static Row djl(NDManager manager, NDArray items, float[] queries, int n, int dim, int k, int batch,
            double budgetSeconds) {
        int available = queries.length / dim;
        List<Double> latencies = new ArrayList<>();
        int done = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (budgetSeconds * 1e9);
        for (int warm = 0; warm < 3; warm++) {
            runBatch(manager, items, queries, dim, k, batch, 0, available);
        }
        start = System.nanoTime();
        while (System.nanoTime() < deadline || latencies.size() < 5) {
            long t0 = System.nanoTime();
            runBatch(manager, items, queries, dim, k, batch, done, available);
            latencies.add((System.nanoTime() - t0) / 1e6);
            done += batch;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double scan = (double) latencies.size() * n * dim * Float.BYTES / seconds / 1e9;
        return new Row("DJL matmul+topK", n, batch, done, seconds, percentile(latencies, 0.5),
                percentile(latencies, 0.99), scan);
    }

    private static void runBatch(NDManager manager, NDArray items, float[] queries, int dim, int k, int batch,
            int offset, int available) {
        try (NDManager step = manager.newSubManager()) {
            float[] q = new float[batch * dim];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(queries, ((offset + b) % available) * dim, q, b * dim, dim);
            }
            NDArray queryNd = step.create(q, new Shape(batch, dim));
            NDArray scores = queryNd.matMul(items.transpose());
            NDList best = scores.topK(k, 1, true, true);
            best.get(1).toLongArray();
            best.get(0).toFloatArray();
        }
    }

    private static Row java(float[] table, float[] queries, int n, int dim, int k, double budgetSeconds) {
        int available = queries.length / dim;
        List<Double> latencies = new ArrayList<>();
        long deadline = System.nanoTime() + (long) (budgetSeconds * 1e9);
        int done = 0;
        long start = System.nanoTime();
        float[] heapScores = new float[k];
        int[] heapIds = new int[k];
        while (System.nanoTime() < deadline || latencies.size() < 5) {
            long t0 = System.nanoTime();
            int qOff = (done % available) * dim;
            int size = 0;
            for (int row = 0; row < n; row++) {
                int off = row * dim;
                float s = 0;
                for (int d = 0; d < dim; d++) {
                    s += table[off + d] * queries[qOff + d];
                }
                if (size < k) {
                    heapScores[size] = s;
                    heapIds[size] = row;
                    siftUp(heapScores, heapIds, size++);
                } else if (s > heapScores[0]) {
                    heapScores[0] = s;
                    heapIds[0] = row;
                    siftDown(heapScores, heapIds, k);
                }
            }
            latencies.add((System.nanoTime() - t0) / 1e6);
            done++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double scan = (double) done * n * dim * Float.BYTES / seconds / 1e9;
        return new Row("Java scalar scan", n, 1, done, seconds, percentile(latencies, 0.5),
                percentile(latencies, 0.99), scan);
    }

    private static void siftUp(float[] s, int[] ids, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (s[parent] <= s[i]) {
                return;
            }
            swap(s, ids, parent, i);
            i = parent;
        }
    }

    private static void siftDown(float[] s, int[] ids, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int smallest = i;
            if (l < size && s[l] < s[smallest]) {
                smallest = l;
            }
            if (r < size && s[r] < s[smallest]) {
                smallest = r;
            }
            if (smallest == i) {
                return;
            }
            swap(s, ids, smallest, i);
            i = smallest;
        }
    }

    private static void swap(float[] s, int[] ids, int a, int b) {
        float t = s[a];
        s[a] = s[b];
        s[b] = t;
        int u = ids[a];
        ids[a] = ids[b];
        ids[b] = u;
    }

    private static double percentile(List<Double> values, double q) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
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
