package dev.hstu.bench.scaling;

import dev.hstu.bench.LineChart;
import dev.hstu.bench.ingest.RatedIngest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The scaling benchmark's event-rate axis: the ingest pipeline (RocksDB sequence state, parallelism 1) offered a
 * series of fixed rates and then run unthrottled, with the rate it achieved, the CPU it spent per event and the
 * latency from an event's due time to its emission.
 */
final class EventRateAxis {

    private static final int ITEMS = 50_000;
    private static final int MAX_LENGTH = 50;
    private static final Duration WARMUP = Duration.ofSeconds(5);
    /** Achieved within 1% of offered counts as keeping up (the source's last burst and start-up cost a little). */
    private static final double KEPT_UP = 0.99;

    private EventRateAxis() {}

    static void measure(StringBuilder md, Path dir, int[] rates, int seconds, int users) throws Exception {
        RatedIngest ingest = new RatedIngest(users, ITEMS, MAX_LENGTH, "rocksdb", 1);
        ingest.run(0, 500_000, WARMUP); // JIT and RocksDB's native library, not reported
        List<RatedIngest.Result> results = new ArrayList<>();
        for (int rate : rates) {
            results.add(report(ingest.run(rate, (long) rate * seconds, WARMUP)));
        }
        long unthrottledEvents = (long) Arrays.stream(rates).max().orElse(100_000) * seconds;
        RatedIngest.Result unthrottled = report(ingest.run(0, unthrottledEvents, WARMUP));
        results.add(unthrottled);

        int cores = Runtime.getRuntime().availableProcessors();
        md.append("\n## Ingest vs offered event rate\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "The ingest pipeline of `ingest-throughput` (JSON -> "
                                + "ParseEventsFunction -> keyBy(user) -> TrainingSequenceFunction with RocksDB state, N=%d, "
                                + "stride 8), parallelism 1, MiniCluster with Flink's defaults (network buffer timeout 100 ms), "
                                + "%,d users, %,d items (skewed). Each throttled run offers its rate for %d s, open loop: event "
                                + "i is due at start + i/rate and carries that due time, so a pipeline that falls behind shows "
                                + "it as latency. The unthrottled run offers %,d events as fast as the pipeline takes them "
                                + "(each stamped when made).%n%n",
                        MAX_LENGTH,
                        users,
                        ITEMS,
                        seconds,
                        unthrottledEvents))
                .append("- achieved events/s: events over the time the source took to hand them all over\n")
                .append("- cores busy: the process's CPU time (every thread: Flink, RocksDB, GC, JIT) over that time;"
                        + " CPU µs per event: that CPU time over the events\n")
                .append(String.format(
                        Locale.ROOT,
                        "- latency: from an event's due time to the emission of the "
                                + "training sequence it completed (every 8th event of a user emits), measured in 1 ms buckets "
                                + "over events due after the first %d s; what the end of the bounded input flushes is not "
                                + "counted. Users are few enough that each reaches the stride several times in a run.%n%n",
                        WARMUP.toSeconds()))
                .append("| offered events/s | events | achieved events/s | cores busy (of ")
                .append(cores)
                .append(") | CPU µs per event | latency samples | p50 ms | p99 ms | max ms |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RatedIngest.Result r : results) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %,.0f | %.2f | %.1f | %,d | %d | %d | %d |%n",
                    r.offeredPerSecond() > 0
                            ? String.format(Locale.ROOT, "%,.0f", r.offeredPerSecond())
                            : "unthrottled",
                    r.events(),
                    r.achievedPerSecond(),
                    r.cores(),
                    r.cpuMicrosPerEvent(),
                    r.samples(),
                    r.p50Ms(),
                    r.p99Ms(),
                    r.maxMs()));
        }
        List<RatedIngest.Result> throttled = results.subList(0, rates.length);
        double highestKept = throttled.stream()
                .filter(r -> r.achievedPerSecond() >= KEPT_UP * r.offeredPerSecond())
                .mapToDouble(RatedIngest.Result::offeredPerSecond)
                .max()
                .orElse(Double.NaN);
        md.append(String.format(
                Locale.ROOT,
                "%nHighest offered rate the pipeline kept up with (achieved >= %.0f%% "
                        + "of offered): %s. Unthrottled it took %,.0f events/s. Past the rate it can take, an open-loop "
                        + "source falls further behind the longer it runs, so latencies there grow with the run's length "
                        + "and are not a steady figure.%n",
                KEPT_UP * 100,
                Double.isNaN(highestKept) ? "none" : String.format(Locale.ROOT, "%,.0f events/s", highestKept),
                unthrottled.achievedPerSecond()));
        if (throttled.size() >= 2) {
            double[] offered = throttled.stream()
                    .mapToDouble(RatedIngest.Result::offeredPerSecond)
                    .toArray();
            // A bucket of 0 ms is below the resolution; it is drawn at 1 ms so the log scale can show it.
            double[] p99 =
                    throttled.stream().mapToDouble(r -> Math.max(1, r.p99Ms())).toArray();
            double[] cpu = throttled.stream()
                    .mapToDouble(RatedIngest.Result::cpuMicrosPerEvent)
                    .toArray();
            LineChart.write(
                    dir.resolve("scaling-rate-latency.png"),
                    "Ingest: p99 latency vs offered event rate",
                    "offered events/s",
                    "p99 ms",
                    offered,
                    p99);
            LineChart.write(
                    dir.resolve("scaling-rate-cpu.png"),
                    "Ingest: CPU per event vs offered event rate",
                    "offered events/s",
                    "CPU µs per event",
                    offered,
                    cpu);
            md.append("\nCharts (throttled runs): `scaling-rate-latency.png`, `scaling-rate-cpu.png`.\n");
        }
    }

    private static RatedIngest.Result report(RatedIngest.Result r) {
        System.out.printf(
                Locale.ROOT,
                "offered %s: achieved %,.0f events/s, %.2f cores, %.1f us CPU/event, "
                        + "latency p50 %d ms p99 %d ms (%,d samples)%n",
                r.offeredPerSecond() > 0 ? String.format(Locale.ROOT, "%,.0f/s", r.offeredPerSecond()) : "unthrottled",
                r.achievedPerSecond(),
                r.cores(),
                r.cpuMicrosPerEvent(),
                r.p50Ms(),
                r.p99Ms(),
                r.samples());
        return r;
    }
}
