package dev.hstu.bench.retrieval;

import dev.hstu.bench.MemoryPeak;

/**
 * One line of the retrieval table: a search engine timed at one catalogue size and batch, or (batch 0) the build of
 * an index.
 *
 * @param scanGBs item-table bytes per second, NaN for the graph search (it reads a fraction of the table)
 * @param recall recall@k against the scalar scan; NaN for the scalar scan itself (the reference)
 * @param buildSeconds index build time, NaN where nothing is built
 */
record RetrievalRow(
        String engine,
        int items,
        int batch,
        int queries,
        double seconds,
        double p50Ms,
        double p99Ms,
        double scanGBs,
        double recall,
        double buildSeconds,
        MemoryPeak.Reading memory) {

    boolean isBuild() {
        return batch == 0;
    }

    boolean isExact() {
        return !engine.startsWith("HNSW");
    }

    double queriesPerSecond() {
        return queries / seconds;
    }
}
