package dev.hstu.jobs.serve;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.sink.QueryEmbedding;
import dev.hstu.sink.Recommendation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The serving operator in Flink's operator test harness on RocksDB, and a clock that drives it while model versions
 * load on their own thread: the harness's processing time moves only when a test moves it.
 */
public final class ServingHarness {

    private static final long WAIT_SECONDS = 30;

    private ServingHarness() {}

    public static KeyedTwoInputStreamOperatorTestHarness<Long, InteractionEvent, ModelVersion, Recommendation> of(
            ServingFunction function) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new ServingOperator(function), InteractionEvent::userId, v -> 0L, Types.LONG);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /**
     * Moves processing time on one poll interval at a time, as a running task would, until {@code done} holds;
     * fails after {@value #WAIT_SECONDS} s.
     */
    public static void advanceUntil(
            KeyedTwoInputStreamOperatorTestHarness<Long, ?, ?, ?> h, BooleanSupplier done, String what)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT_SECONDS + " s: " + what);
            }
            Thread.sleep(5);
            h.setProcessingTime(h.getProcessingTime() + ServingOperator.POLL_MS);
        }
    }

    /** The query embeddings emitted so far, in order. */
    public static List<QueryEmbedding> embeddings(KeyedTwoInputStreamOperatorTestHarness<Long, ?, ?, ?> h) {
        List<QueryEmbedding> out = new ArrayList<>();
        var records = h.getSideOutput(ServingFunction.QUERY_EMBEDDINGS);
        if (records != null) {
            for (StreamRecord<QueryEmbedding> r : records) {
                out.add(r.getValue());
            }
        }
        return out;
    }
}
