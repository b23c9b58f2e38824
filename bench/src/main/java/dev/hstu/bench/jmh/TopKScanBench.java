package dev.hstu.bench.jmh;

import dev.hstu.bench.retrieval.RetrievalBenchmark;
import dev.hstu.bench.retrieval.ScalarScan;
import dev.hstu.bench.retrieval.SimdScan;
import dev.hstu.bench.retrieval.TopKHeap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The retrieval benchmark's Java scans in isolation: one dot product, and one query's top-100 over 100k items. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TopKScanBench {

    public static final String WORKLOAD = "d=64 unit vectors: one dot product (scalar, and Vector API SIMD); one "
            + "query's exact top-100 over 100,000 items (25.6 MB, one thread), scalar and SIMD";

    private static final int DIM = 64;
    private static final int ITEMS = 100_000;

    private float[] table;
    private float[] queries;
    private final TopKHeap heap = new TopKHeap(100);
    private int query;

    @Setup
    public void setUp() {
        table = RetrievalBenchmark.unitRows(ITEMS, DIM, 1);
        queries = RetrievalBenchmark.unitRows(64, DIM, 2);
    }

    @Benchmark
    public float dotScalar() {
        query = (query + 1) & 63;
        return ScalarScan.dot(table, query * DIM, queries, query * DIM, DIM);
    }

    @Benchmark
    public float dotSimd() {
        query = (query + 1) & 63;
        return SimdScan.dot(table, query * DIM, queries, query * DIM, DIM);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int scanScalar() {
        query = (query + 1) & 63;
        heap.clear();
        ScalarScan.scan(table, DIM, 0, ITEMS, queries, query * DIM, heap);
        return heap.size();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int scanSimd() {
        query = (query + 1) & 63;
        heap.clear();
        SimdScan.scan(table, DIM, 0, ITEMS, queries, query * DIM, heap);
        return heap.size();
    }
}
