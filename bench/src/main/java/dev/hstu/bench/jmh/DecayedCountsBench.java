package dev.hstu.bench.jmh;

import dev.hstu.ctr.DecayPolicy;
import dev.hstu.ctr.DecayedCounts;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The CTR state's per-event arithmetic: the record allocation, the validation and StrictMath.pow. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecayedCountsBench {

    public static final String WORKLOAD = "DecayedCounts.plus with a 1-day half-life: an event newer than the anchor "
            + "(rescales the sums) and an event 1 h older (rescales the event)";

    private final DecayPolicy decay = DecayPolicy.halfLife(Duration.ofDays(1));
    private DecayedCounts counts;
    private long ts;

    @Setup
    public void setUp() {
        ts = 1_600_000_000_000L;
        counts = DecayedCounts.first(ts, 1.0);
    }

    @Benchmark
    public DecayedCounts newer() {
        ts += 1_000;
        counts = counts.plus(ts, (ts & 1) == 0 ? 1.0 : 0.0, decay);
        return counts;
    }

    @Benchmark
    public DecayedCounts older() {
        ts++;
        counts = counts.plus(counts.anchorMs() - 3_600_000L, (ts & 1) == 0 ? 1.0 : 0.0, decay);
        return counts;
    }
}
