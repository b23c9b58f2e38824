package dev.hstu.jobs.ctr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through and fails the job once, at the first record after {@code failAt} records
 * once a checkpoint has completed, so the job restarts from that checkpoint. Also notes, at that
 * moment, whether RocksDB has database files in its local directory (proof the job's keyed state
 * lives in RocksDB). The flags are static: the MiniCluster runs in the test JVM.
 */
final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicBoolean ROCKSDB_FILES_SEEN = new AtomicBoolean();
    /** Records seen per attempt number. */
    static final Map<Integer, Long> RECORDS_PER_ATTEMPT = new ConcurrentHashMap<>();

    private final long failAt;
    private final String rocksDbLocalDir;
    private transient volatile boolean checkpointCompleted;
    private transient long seen;
    private transient int attempt;

    FailOnceAfterCheckpoint(long failAt, Path rocksDbLocalDir) {
        this.failAt = failAt;
        this.rocksDbLocalDir = rocksDbLocalDir.toString();
    }

    static void reset() {
        FAILED.set(false);
        ROCKSDB_FILES_SEEN.set(false);
        RECORDS_PER_ATTEMPT.clear();
    }

    @Override
    public void open(OpenContext openContext) {
        attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
    }

    @Override
    public T map(T value) throws Exception {
        seen++;
        RECORDS_PER_ATTEMPT.put(attempt, seen);
        if (!FAILED.get() && seen >= failAt) {
            if (!checkpointCompleted) {
                // Give the checkpoint coordinator time; barriers pass between records.
                Thread.sleep(1);
                return value;
            }
            ROCKSDB_FILES_SEEN.set(hasRocksDbFiles());
            FAILED.set(true);
            throw new IllegalStateException("injected failure after " + seen + " records");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointCompleted = true;
    }

    private boolean hasRocksDbFiles() {
        try (Stream<Path> files = Files.walk(Path.of(rocksDbLocalDir))) {
            return files.anyMatch(p -> p.getFileName().toString().equals("CURRENT"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
