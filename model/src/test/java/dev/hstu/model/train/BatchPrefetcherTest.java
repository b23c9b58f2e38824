package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.model.data.PackedBatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPrefetcherTest {

    private static PackedBatch batchOf(int item) {
        return PackedBatch.builder()
                .addEvent(item, 1, 0L)
                .addEvent(item + 1, 1, 1L)
                .endSequence(0)
                .build();
    }

    @Test
    void handsOutEveryBatchInOrderAndBuildsEachOnceOnItsOwnThread() {
        List<Integer> built = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (BatchPrefetcher prefetcher = new BatchPrefetcher(5, i -> {
            built.add(i);
            threads.add(Thread.currentThread().getName());
            return batchOf(10 * i + 2);
        })) {
            for (int i = 0; i < 5; i++) {
                assertThat(prefetcher.take(i).items()[0]).isEqualTo(10 * i + 2);
            }
        }
        assertThat(built).containsExactly(0, 1, 2, 3, 4);
        assertThat(threads).containsOnly("batch-prefetch");
    }

    @Test
    void refusesABatchTakenOutOfOrder() {
        try (BatchPrefetcher prefetcher = new BatchPrefetcher(3, BatchPrefetcherTest::batchOf)) {
            assertThatThrownBy(() -> prefetcher.take(1)).hasMessageContaining("batch 1 taken out of order");
        }
    }

    @Test
    void aFailedBuildReachesTheCallerWithItsOwnException() {
        try (BatchPrefetcher prefetcher = new BatchPrefetcher(2, i -> {
            throw new IllegalArgumentException("sequence 3 has no events");
        })) {
            assertThatThrownBy(() -> prefetcher.take(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sequence 3 has no events");
        }
    }

    @Test
    void closeWaitsForABatchStillBeingBuiltSoItsBuilderCanBeReused() {
        List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
        BatchPrefetcher prefetcher = new BatchPrefetcher(2, i -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.add(i);
            return batchOf(2);
        });
        prefetcher.take(0);
        prefetcher.close();
        assertThat(finished).containsExactly(0, 1);
    }
}
