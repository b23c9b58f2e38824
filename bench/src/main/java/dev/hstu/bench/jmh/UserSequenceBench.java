package dev.hstu.bench.jmh;

import dev.hstu.jobs.sequence.UserSequence;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The per-event work of the sequence state (before RocksDB serialisation): one add to a user's kept history. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UserSequenceBench {

    public static final String WORKLOAD = "UserSequence.add on a full history of N=50 (the oldest is dropped): an "
            + "event in time order, and a late event that lands in the middle";

    private static final int MAX_LENGTH = 50;

    private UserSequence sequence;
    private long ts;

    @Setup
    public void setUp() {
        sequence = new UserSequence();
        ts = 1_600_000_000_000L;
        for (int i = 0; i < MAX_LENGTH; i++) {
            sequence.add(i, 0, ts += 60_000, MAX_LENGTH);
        }
    }

    @Benchmark
    public UserSequence inOrder() {
        sequence.add(ts & 0xFFFF, 1, ts += 60_000, MAX_LENGTH);
        return sequence;
    }

    @Benchmark
    public UserSequence late() {
        long[] kept = sequence.timestampsMs;
        sequence.add(ts & 0xFFFF, 1, kept[kept.length / 2], MAX_LENGTH);
        ts++;
        return sequence;
    }
}
