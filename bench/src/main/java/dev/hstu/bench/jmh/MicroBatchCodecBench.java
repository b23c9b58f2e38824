package dev.hstu.bench.jmh;

import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The training-batches topic's codec: every micro-batch the trainer reads passes through both directions once. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MicroBatchCodecBench {

    public static final String WORKLOAD = "MicroBatchCodec: one micro-batch of 64 sequences x 50 events (3,200 "
            + "events, about 64 KB encoded); decode includes the CRC32C check and MicroBatch.validate";

    private MicroBatch batch;
    private byte[] encoded;

    @Setup
    public void setUp() {
        int sequences = 64;
        int length = 50;
        SplittableRandom random = new SplittableRandom(7);
        long[] users = new long[sequences];
        int[] offsets = new int[sequences + 1];
        int[] firstTarget = new int[sequences];
        long[] items = new long[sequences * length];
        int[] actions = new int[items.length];
        long[] ts = new long[items.length];
        for (int s = 0; s < sequences; s++) {
            users[s] = random.nextLong(1_000_000);
            offsets[s + 1] = offsets[s] + length;
            firstTarget[s] = length - 9;
            long t = 1_600_000_000_000L + random.nextLong(1_000_000_000L);
            for (int e = offsets[s]; e < offsets[s + 1]; e++) {
                items[e] = random.nextLong(50_000);
                actions[e] = random.nextInt(2);
                ts[e] = t += random.nextInt(3_600_000);
            }
        }
        batch = new MicroBatch(users, offsets, items, actions, ts, firstTarget, 1_700_000_000_000L).validate();
        encoded = MicroBatchCodec.encode(batch);
    }

    @Benchmark
    public byte[] encode() {
        return MicroBatchCodec.encode(batch);
    }

    @Benchmark
    public MicroBatch decode() {
        return MicroBatchCodec.decode(encoded);
    }
}
