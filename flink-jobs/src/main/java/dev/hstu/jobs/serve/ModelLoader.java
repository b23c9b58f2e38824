package dev.hstu.jobs.serve;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.model.serve.ScoringModel;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads model versions on a thread of its own, one at a time, so that the task thread goes on serving the version it
 * has while the next one is read and verified. Every method is called from the task thread; a finished load is
 * handed over only when that thread asks ({@link #poll}), so the swap happens between two records.
 *
 * <p>While a load runs, only the newest version requested after it waits; older ones are skipped. A version that
 * failed is not tried again.
 */
final class ModelLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    /** A finished load: the model, or why there is none. */
    record Result(ModelVersion version, ScoringModel model, Throwable failure) {}

    private final ModelSource source;
    private final ExecutorService executor;
    private final Set<Long> failed = new HashSet<>();
    private ModelVersion loading;
    private Future<ScoringModel> inFlight;
    private ModelVersion next;

    ModelLoader(ModelSource source, String threadName) {
        this.source = source;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts loading {@code version} unless it is loading already, newer is waiting, or it failed before. */
    void request(ModelVersion version) {
        if (failed.contains(version.version())
                || (loading != null && loading.version() >= version.version())
                || (next != null && next.version() >= version.version())) {
            return;
        }
        if (inFlight == null) {
            start(version);
            return;
        }
        if (next != null) {
            LOG.info(
                    "Skipping model version {}: version {} is newer and loads next", next.version(), version.version());
        }
        next = version;
    }

    boolean hasFailed(ModelVersion version) {
        return failed.contains(version.version());
    }

    /** The version of a load that has finished and waits for {@link #poll}; null if none. */
    ModelVersion finished() {
        return inFlight != null && inFlight.isDone() ? loading : null;
    }

    /** Hands over the load that has finished, if any, and starts the one waiting; never blocks. */
    Result poll() {
        if (finished() == null) {
            return null;
        }
        Result result;
        try {
            result = new Result(loading, inFlight.get(), null);
        } catch (ExecutionException e) {
            failed.add(loading.version());
            result = new Result(loading, null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking a finished load", e);
        }
        inFlight = null;
        loading = null;
        if (next != null) {
            start(next);
            next = null;
        }
        return result;
    }

    private void start(ModelVersion version) {
        loading = version;
        inFlight = executor.submit(() -> source.load(version));
    }

    /** Waits for a load in progress (the model's native memory must be freed) and closes what it loaded. */
    @Override
    public void close() throws InterruptedException {
        next = null;
        executor.shutdownNow();
        if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
            LOG.warn("A model load did not end within a minute of closing; its memory may not be freed");
            return;
        }
        Result pending = poll();
        if (pending != null && pending.model() != null) {
            pending.model().close();
        }
    }
}
