package dev.hstu.bench.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * The machine's sequential read bandwidth, the bound an exact scan of the item table can reach at best: the best of
 * a PyTorch {@code sum} over a 1 GiB float32 array (vectorised, on the engine's intra-op threads) and a Java
 * reduction of a 1 GiB {@code long[]} on every core (C2 vectorises integer sums). Each is the best of several passes
 * after a warm-up pass, so page faults and a cold cache do not count.
 */
final class MemoryBandwidth {

    private static final int BYTES = 1 << 30;
    private static final int PASSES = 5;

    private MemoryBandwidth() {}

    /** @return GB/s (1e9 bytes) read by a PyTorch sum */
    static double torchReadGBs(NDManager manager) {
        try (NDArray data = manager.ones(new Shape(BYTES / Float.BYTES), DataType.FLOAT32)) {
            double best = 0;
            for (int pass = 0; pass <= PASSES; pass++) {
                long t0 = System.nanoTime();
                try (NDArray sum = data.sum()) {
                    sum.getFloat(); // waits for the reduction
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (pass > 0) {
                    best = Math.max(best, BYTES / seconds / 1e9);
                }
            }
            return best;
        }
    }

    /** @return GB/s (1e9 bytes) read by a Java reduction, one slice per core */
    static double javaReadGBs() throws Exception {
        long[] data = new long[BYTES / Long.BYTES];
        Arrays.fill(data, 1L);
        int threads = Runtime.getRuntime().availableProcessors();
        int slice = data.length / threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            long check = 0;
            for (int pass = 0; pass <= PASSES; pass++) {
                long t0 = System.nanoTime();
                Future<?>[] parts = IntStream.range(0, threads)
                        .mapToObj(t -> pool.submit(() -> sum(data, t * slice, (t + 1) * slice)))
                        .toArray(Future[]::new);
                for (Future<?> part : parts) {
                    check += (Long) part.get();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (pass > 0) {
                    best = Math.max(best, (double) slice * threads * Long.BYTES / seconds / 1e9);
                }
            }
            if (check != (long) slice * threads * (PASSES + 1)) {
                throw new IllegalStateException("read check failed: " + check); // and keeps the sums alive
            }
            return best;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long sum(long[] data, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += data[i];
        }
        return s;
    }
}
