package dev.hstu.bench.retrieval;

import com.github.jelmerk.knn.hnsw.HnswIndex;
import dev.hstu.bench.BenchReport;
import dev.hstu.bench.MemoryPeak;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The retrieval results file: how each path was run, the table, and the goal and trade-off read from the table. */
final class RetrievalReport {

    record Setup(
            int k,
            int m,
            int efConstruction,
            int cores,
            int simdLanes,
            int recallQueries,
            double minutes,
            double torchGBs,
            double javaGBs) {
        double bandwidth() {
            return Math.max(torchGBs, javaGBs);
        }
    }

    private RetrievalReport() {}

    static String markdown(String header, List<RetrievalRow> rows, Setup s) {
        StringBuilder md = new StringBuilder(header);
        String hnswVersion = Optional.ofNullable(HnswIndex.class.getPackage().getImplementationVersion())
                .orElse("?");
        md.append("- items: random unit vectors (Gaussian, normalised), row-major float32; queries: 1,024 random unit "
                + "vectors, cycled\n"
                + "- DJL: `queries.matMul(items.transpose())` then `topK(k)` per batch, PyTorch CPU engine; latency is "
                + "per batch\n"
                + "- Java scalar scan: plain dot products, top-k in a bounded min-heap, one query at a time, one thread; "
                + "the reference the recall of every other path is measured against\n"
                + String.format(
                        Locale.ROOT,
                        "- Java SIMD scan: Vector API (jdk.incubator.vector), %d float lanes, "
                                + "fused multiply-add and one horizontal sum per row; one query at a time, the table split "
                                + "into one slice per thread and the slices' heaps merged%n",
                        s.simdLanes())
                + String.format(
                        Locale.ROOT,
                        "- HNSW: hnswlib-core %s, M=%d, efConstruction=%d, built with `addAll` "
                                + "on %d threads; distance `1 - dot` with the SIMD scan's dot product; searched one query at a "
                                + "time on one thread; the library searches with max(ef, k), so ef=%d is its narrowest beam "
                                + "for top-%d%n",
                        hnswVersion,
                        s.m(),
                        s.efConstruction(),
                        s.cores(),
                        s.k(),
                        s.k())
                + String.format(
                        Locale.ROOT,
                        "- recall@%d: the share of the scalar scan's top-%d ids a path returned, "
                                + "mean over the first %d queries%n",
                        s.k(),
                        s.k(),
                        s.recallQueries())
                + "- scan GB/s = item-table bytes read per second (a batch reads the table once)\n"
                + "- heap peak MB: the sum of the heap pools' peak use during the case (MemoryPoolMXBean, peaks reset "
                + "after a `System.gc()` at the start of each case; an upper bound, the pools peak at different "
                + "moments); it includes the float[] item table (and, in HNSW rows, the index) that stay live\n"
                + "- RSS peak MB: the process's VmHWM during the case, reset per case by writing 5 to "
                + "/proc/self/clear_refs; it adds what the heap does not see (PyTorch tensors, thread stacks, JIT). "
                + "RSS at start = VmRSS when the case began: memory freed by earlier cases mostly stays resident, so "
                + "peak - start is what the case itself added\n"
                + String.format(Locale.ROOT, "- whole run: %.1f minutes%n%n", s.minutes()));
        md.append("| engine | items | batch | queries | queries/s | p50 ms/batch | p99 ms/batch | scan GB/s | recall@"
                + s.k() + " | build s | heap peak MB | RSS peak MB | RSS at start MB |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RetrievalRow r : rows) {
            md.append(line(r)).append('\n');
        }
        goal(md, rows, s);
        tradeOff(md, rows, s);
        md.append('\n').append(BenchReport.loadAtEnd());
        return md.toString();
    }

    private static String line(RetrievalRow r) {
        boolean build = r.isBuild();
        MemoryPeak.Reading mem = r.memory();
        return String.format(
                Locale.ROOT,
                "| %s | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d%s | %d |",
                r.engine(),
                r.items(),
                build ? "" : Integer.toString(r.batch()),
                build ? "" : String.format(Locale.ROOT, "%,d", r.queries()),
                build ? "" : String.format(Locale.ROOT, "%,.0f", r.queriesPerSecond()),
                build ? "" : String.format(Locale.ROOT, "%.2f", r.p50Ms()),
                build ? "" : String.format(Locale.ROOT, "%.2f", r.p99Ms()),
                Double.isNaN(r.scanGBs()) ? "" : String.format(Locale.ROOT, "%.1f", r.scanGBs()),
                build ? "" : Double.isNaN(r.recall()) ? "reference" : String.format(Locale.ROOT, "%.3f", r.recall()),
                Double.isNaN(r.buildSeconds()) ? "" : String.format(Locale.ROOT, "%.1f", r.buildSeconds()),
                mem.heapMb(),
                mem.rssMb(),
                mem.rssSinceReset() ? "" : " (since start)",
                mem.rssStartMb());
    }

    private static void goal(StringBuilder md, List<RetrievalRow> rows, Setup s) {
        md.append(
                "\n## Goal: exact search within 2x of the memory bandwidth (issue 7)\n\nA batch of one reads the whole "
                        + "table per query, so its scan rate is the figure to compare with the machine's read bandwidth; "
                        + "larger batches reuse each row for many queries and become compute-bound. 1M x 64 floats (256 MB) "
                        + "do not fit in the caches, so the 1M-item scans are the ones memory bounds; a 100k table (25.6 MB) "
                        + "may sit in a large last-level cache, where a scan can read faster than the memory bound.\n\n");
        md.append(String.format(
                Locale.ROOT,
                "- measured read bandwidth (1 GiB, best of 5 passes after a warm-up): "
                        + "PyTorch `sum` %.1f GB/s, Java reduction on %d threads %.1f GB/s; the bound used is %.1f GB/s%n",
                s.torchGBs(),
                s.cores(),
                s.javaGBs(),
                s.bandwidth()));
        int largest = rows.stream().mapToInt(RetrievalRow::items).max().orElse(0);
        boolean anyMet = false;
        for (RetrievalRow r : rows) {
            if (r.isExact() && r.batch() == 1 && r.items() == largest) {
                double ratio = s.bandwidth() / r.scanGBs();
                anyMet |= ratio <= 2;
                md.append(String.format(
                        Locale.ROOT,
                        "- %s, %,d items, batch 1: %.1f GB/s, %.2fx below the bound: " + "%s%n",
                        r.engine(),
                        r.items(),
                        r.scanGBs(),
                        ratio,
                        ratio <= 2 ? "within the 2x goal" : "NOT within the 2x goal"));
            }
        }
        md.append(
                anyMet
                        ? "\nThe goal is met by the path(s) marked within it above; the others are listed for "
                                + "comparison.\n"
                        : "\nThe goal is not met by any exact path.\n");
    }

    private static void tradeOff(StringBuilder md, List<RetrievalRow> rows, Setup s) {
        md.append("\n## HNSW: recall against speed\n\n");
        for (int items : rows.stream().mapToInt(RetrievalRow::items).distinct().toArray()) {
            Optional<RetrievalRow> exact = rows.stream()
                    .filter(r -> r.items() == items && r.isExact() && r.batch() == 1)
                    .max(Comparator.comparingDouble(RetrievalRow::queriesPerSecond));
            Optional<RetrievalRow> build =
                    rows.stream().filter(r -> r.items() == items && r.isBuild()).findFirst();
            md.append(String.format(Locale.ROOT, "- %,d items", items));
            build.ifPresent(b -> md.append(String.format(Locale.ROOT, ", index built in %.1f s", b.buildSeconds())));
            exact.ifPresent(e -> md.append(String.format(
                    Locale.ROOT,
                    "; fastest exact path for one query: %s, " + "%,.0f queries/s",
                    e.engine(),
                    e.queriesPerSecond())));
            md.append(":");
            for (RetrievalRow r : rows) {
                if (r.items() == items && !r.isExact() && !r.isBuild()) {
                    md.append(String.format(
                            Locale.ROOT,
                            " %s recall %.3f at %,.0f queries/s%s;",
                            r.engine(),
                            r.recall(),
                            r.queriesPerSecond(),
                            exact.map(e -> String.format(
                                            Locale.ROOT,
                                            " (%.2fx the exact path)",
                                            r.queriesPerSecond() / e.queriesPerSecond()))
                                    .orElse("")));
                }
            }
            md.setLength(md.length() - 1);
            md.append(".\n");
        }
        md.append("\nThe HNSW searches ran on one thread, the fastest exact path may use all cores for one query. "
                + "Random Gaussian vectors have no cluster structure, the hardest case for a graph index; learned "
                + "item embeddings usually cluster, where a given ef is expected to reach a higher recall. That "
                + "was not measured here.\n");
    }
}
