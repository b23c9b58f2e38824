package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EpochBatchesTest {

    /** Heavy-tailed lengths like real histories: mostly short, a few long. */
    private static List<TrainingWindows.Window> windows(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TrainingWindows.Window> windows = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            int length = 2 + (int) Math.min(198, Math.floor(3 / Math.pow(1 - random.nextDouble(), 0.9)));
            windows.add(new TrainingWindows.Window(u, 0, length, 0));
        }
        return windows;
    }

    @Test
    void tokenBudgetKeepsEveryWindowOnceAndEachBatchWithinTheBudget() {
        List<TrainingWindows.Window> windows = windows(5000, 1);
        List<List<TrainingWindows.Window>> batches = EpochBatches.of(32, 1024).plan(windows, new SplittableRandom(7));

        List<TrainingWindows.Window> seen = new ArrayList<>();
        batches.forEach(seen::addAll);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(windows);
        for (List<TrainingWindows.Window> batch : batches) {
            int longest = batch.stream().mapToInt(w -> w.to() - w.from()).max().orElseThrow();
            assertThat(batch.size() == 1 || (long) batch.size() * longest <= 1024)
                    .as("batch of %d windows, longest %d", batch.size(), longest)
                    .isTrue();
        }
        long real = windows.stream().mapToLong(w -> w.to() - w.from()).sum();
        long padded = batches.stream()
                .mapToLong(b -> (long) b.size()
                        * b.stream().mapToInt(w -> w.to() - w.from()).max().orElseThrow())
                .sum();
        // sorting inside groups of 8 budgets keeps padding small on a heavy-tailed distribution
        assertThat((double) real / padded).isGreaterThan(0.8);
        // and the budget is used: the batches' padded areas are near it on average
        assertThat((double) padded / batches.size()).isGreaterThan(0.8 * 1024);
    }

    @Test
    void fixedSizeBatchesHoldBatchSizeSequencesSortedByLength() {
        List<TrainingWindows.Window> windows = windows(1000, 2);
        List<List<TrainingWindows.Window>> batches = EpochBatches.of(32, 0).plan(windows, new SplittableRandom(3));

        assertThat(batches)
                .hasSize(EpochBatches.of(32, 0).stepsPerEpoch(windows))
                .hasSize(32);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.size()).isLessThanOrEqualTo(32);
            assertThat(b).isSortedAccordingTo(Comparator.comparingInt(w -> w.to() - w.from()));
        });
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(1000);
    }

    @Test
    void theSameSeedPlansTheSameEpochSoAResumedRunStepsThroughTheSameBatches() {
        List<TrainingWindows.Window> windows = windows(2000, 4);
        EpochBatches batching = EpochBatches.of(32, 2048);

        assertThat(batching.plan(windows, new SplittableRandom(11)))
                .isEqualTo(batching.plan(windows, new SplittableRandom(11)))
                .isNotEqualTo(batching.plan(windows, new SplittableRandom(12)));
        int planned = batching.stepsPerEpoch(windows);
        assertThat(batching.plan(windows, new SplittableRandom(5)).size()).isBetween(planned - 3, planned + 3);
    }

    @Test
    void aWindowLongerThanTheBudgetIsABatchOfItsOwn() {
        List<TrainingWindows.Window> windows =
                List.of(new TrainingWindows.Window(0, 0, 300, 0), new TrainingWindows.Window(1, 0, 5, 0));

        List<List<TrainingWindows.Window>> batches = EpochBatches.of(32, 100).plan(windows, new SplittableRandom(1));

        assertThat(batches).hasSize(2).allSatisfy(b -> assertThat(b).hasSize(1));
    }

    @Test
    void refusesANegativeBudgetOrNoBatchSize() {
        assertThatThrownBy(() -> EpochBatches.of(32, -1)).hasMessageContaining("batchTokens must be >= 0");
        assertThatThrownBy(() -> EpochBatches.of(0, 0)).hasMessageContaining("batchSize must be >= 1");
    }
}
