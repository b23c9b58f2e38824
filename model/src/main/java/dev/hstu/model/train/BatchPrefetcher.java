package dev.hstu.model.train;

import dev.hstu.model.data.PackedBatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Builds the next step's batch on a host thread while the current step runs, so a GPU does not wait for the host to
 * pack a batch between steps. Batches are taken in order, each exactly once; the order of an epoch stays what the
 * plan says, so prefetching changes no result.
 */
public final class BatchPrefetcher implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "batch-prefetch");
        t.setDaemon(true);
        return t;
    });
    private final int count;
    private final IntFunction<PackedBatch> build;
    private Future<PackedBatch> next;
    private int nextIndex;

    /**
     * @param count batches of the epoch
     * @param build builds batch {@code i}; called on the prefetch thread, one batch at a time, in order
     */
    public BatchPrefetcher(int count, IntFunction<PackedBatch> build) {
        this.count = count;
        this.build = build;
        submit(0);
    }

    private void submit(int i) {
        nextIndex = i;
        next = i < count ? thread.submit(() -> build.apply(i)) : null;
    }

    /**
     * @param i the batch wanted: the one after the previous call's
     * @return batch {@code i}, with the building of {@code i + 1} started
     * @throws IllegalStateException if batches are taken out of order
     */
    public PackedBatch take(int i) {
        if (i != nextIndex || next == null) {
            throw new IllegalStateException(
                    "batch " + i + " taken out of order (next is " + nextIndex + " of " + count + ")");
        }
        PackedBatch batch;
        try {
            batch = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building batch " + i, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("building batch " + i + " failed", e.getCause());
        }
        submit(i + 1);
        return batch;
    }

    /**
     * Waits for a batch still being built: its builder is usually reused by the next epoch or caller, and two
     * threads filling one builder would hand the device a batch whose offsets and items disagree.
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a batch was still being built after 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
