package dev.hstu.bench.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One query's exact top-k with the SIMD scan, the table split into one contiguous slice per thread (the calling
 * thread takes the first), and the per-slice heaps merged. A single query cannot reach the machine's read bandwidth
 * on one core, which is why the slices exist.
 */
final class ParallelScan implements AutoCloseable {

    private final float[] table;
    private final int dim;
    private final int rows;
    private final int threads;
    private final TopKHeap[] heaps;
    private final ExecutorService pool;

    ParallelScan(float[] table, int dim, int threads, int k) {
        this.table = table;
        this.dim = dim;
        this.rows = table.length / dim;
        this.threads = threads;
        this.heaps = new TopKHeap[threads];
        for (int t = 0; t < threads; t++) {
            heaps[t] = new TopKHeap(k);
        }
        this.pool = threads > 1
                ? Executors.newFixedThreadPool(threads - 1, r -> {
                    Thread thread = new Thread(r, "simd-scan");
                    thread.setDaemon(true);
                    return thread;
                })
                : null;
    }

    /** @return the ids of the top k rows, in no particular order */
    int[] topK(float[] queries, int qOff) throws Exception {
        List<Future<?>> parts = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++) {
            int slice = t;
            parts.add(pool.submit(() -> scanSlice(slice, queries, qOff)));
        }
        scanSlice(0, queries, qOff);
        for (Future<?> part : parts) {
            part.get();
        }
        for (int t = 1; t < threads; t++) {
            heaps[0].offerAll(heaps[t]);
        }
        return heaps[0].ids();
    }

    private void scanSlice(int slice, float[] queries, int qOff) {
        TopKHeap heap = heaps[slice];
        heap.clear();
        SimdScan.scan(
                table,
                dim,
                (int) ((long) rows * slice / threads),
                (int) ((long) rows * (slice + 1) / threads),
                queries,
                qOff,
                heap);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
