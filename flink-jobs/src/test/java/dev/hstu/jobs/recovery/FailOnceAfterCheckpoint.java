package dev.hstu.jobs.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Test-only pass-through placed between a job's source and its first operator: it kills the job once, mid-stream,
 * after a checkpoint that covers real progress has completed, so the restart must restore from that checkpoint and
 * replay what came after it.
 *
 * <p>Phases, counted over all parallel subtasks of one run (a {@link Probe} per marker file; the MiniCluster runs
 * in this JVM): the first {@code armAfter} records pass freely; after that, records are slowed down until a
 * checkpoint taken after them has completed; then {@code thenPass} more records pass, slowed a little, and the
 * next one throws. The
 * marker file, created atomically by the subtask that throws, makes the failure happen exactly once, also across
 * the restart.
 */
final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T>
        implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;
    private static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

    /** What the test reads back after the run. */
    static final class Probe {
        /** Records that went through, replays included. */
        final AtomicLong records = new AtomicLong();
        /** Subtask instances initialised from a restored checkpoint. */
        final AtomicInteger restoredSubtasks = new AtomicInteger();
        /** The id of the completed checkpoint that armed the failure (-1 until then). */
        final AtomicLong armingCheckpoint = new AtomicLong(-1);

        final AtomicLong recordsAtFailure = new AtomicLong(-1);
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicLong passedSinceArmed = new AtomicLong();
        final Set<Long> checkpointsAfterArmThreshold = ConcurrentHashMap.newKeySet();
    }

    private final String marker;
    private final long armAfter;
    private final long thenPass;

    FailOnceAfterCheckpoint(Path marker, long armAfter, long thenPass) {
        this.marker = marker.toAbsolutePath().toString();
        this.armAfter = armAfter;
        this.thenPass = thenPass;
    }

    /** The probe of the run that uses {@code marker}. */
    static Probe probe(Path marker) {
        return PROBES.computeIfAbsent(marker.toAbsolutePath().toString(), k -> new Probe());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        if (context.isRestored()) {
            probe().restoredSubtasks.incrementAndGet();
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        if (probe().records.get() >= armAfter) {
            probe().checkpointsAfterArmThreshold.add(context.getCheckpointId());
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Probe p = probe();
        if (p.checkpointsAfterArmThreshold.contains(checkpointId) && p.armed.compareAndSet(false, true)) {
            p.armingCheckpoint.set(checkpointId);
        }
    }

    @Override
    public T map(T value) throws Exception {
        Probe p = probe();
        long seen = p.records.incrementAndGet();
        Path markerFile = Path.of(marker);
        if (Files.exists(markerFile)) {
            return value;
        }
        if (p.armed.get()) {
            if (p.passedSinceArmed.incrementAndGet() > thenPass) {
                try {
                    Files.createFile(markerFile);
                } catch (FileAlreadyExistsException e) {
                    return value; // The other subtask failed first.
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                p.recordsAtFailure.set(seen);
                // Let the operators downstream finish what they have and their sinks send it: output of the failed
                // attempt reaches the broker, where only the transactions keep read_committed readers from it.
                Thread.sleep(1_000);
                throw new IllegalStateException(
                        "injected failure after checkpoint " + p.armingCheckpoint.get() + " and " + seen + " records");
            }
            // Slowly enough that the operators downstream act on these records (and their sinks write them into
            // the open transaction) before the failure.
            Thread.sleep(1);
        } else if (seen >= armAfter) {
            // Hold the stream back (the mailbox still runs between records) until a checkpoint completes.
            Thread.sleep(5);
        }
        return value;
    }

    private Probe probe() {
        return PROBES.computeIfAbsent(marker, k -> new Probe());
    }
}
