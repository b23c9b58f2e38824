package dev.hstu.model.tasks.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HardNegativeCacheTest {

    @Test
    void theCacheKeepsDistinctItemsAndDropsTheOldestWhenFull() {
        HardNegativeCache cache = new HardNegativeCache(3);
        cache.offer(5);
        cache.offer(6);
        cache.offer(5);
        assertThat(cache.snapshot()).containsExactly(5, 6);
        cache.offer(7);
        cache.offer(8);
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.snapshot()).containsExactly(6, 7, 8);
        cache.offer(5);
        assertThat(cache.snapshot()).as("5 was dropped, so it is new again").containsExactly(7, 8, 5);
    }

    @Test
    void eachStepCachesItsHighestScoringCandidatesThatAreNotTheTarget() {
        HardNegativeCache cache = new HardNegativeCache(10);
        long[] candidates = {11, 12, 13, 12, 14, 15};
        // 12 is the hardest (twice); 15 is a masked accidental hit; -0.9 is a real, if easy, score
        float[] hardness = {0.1f, 0.9f, -0.9f, 0.8f, 0.5f, -1e4f};
        cache.offerHardest(candidates, hardness, 3);
        assertThat(cache.snapshot()).as("hardest last, so it is dropped last").containsExactly(11, 14, 12);
        cache.offerHardest(candidates, hardness, 10);
        assertThat(cache.snapshot()).containsExactly(11, 14, 12, 13);
    }

    @Test
    void samplesAreDistinctCachedItemsAndDoNotDependOnWhereTheRingStarts() {
        HardNegativeCache wrapped = new HardNegativeCache(5);
        for (long item = 2; item < 9; item++) {
            wrapped.offer(item);
        }
        HardNegativeCache restored = new HardNegativeCache(5);
        for (long item : wrapped.snapshot()) {
            restored.offer(item);
        }
        for (int seed = 0; seed < 20; seed++) {
            long[] sample = wrapped.sample(3, new SplittableRandom(seed));
            assertThat(sample).hasSize(3).doesNotHaveDuplicates();
            assertThat(wrapped.snapshot()).contains(sample);
            assertThat(restored.sample(3, new SplittableRandom(seed))).containsExactly(sample);
        }
        assertThat(wrapped.sample(9, new SplittableRandom(1))).containsExactly(4, 5, 6, 7, 8);
    }

    @Test
    void cachedItemsJoinTheNextStepsSharedCandidatesAndCountInTheirLogQ() {
        HstuConfig config = TestBatches.tiny()
                .with("task.inBatchNegatives", 2)
                .with("task.numNegatives", 3)
                .with("task.hardNegatives.cacheSize", 8)
                .with("task.hardNegatives.perStep", 2)
                .validate();
        NegativeSources sources =
                new NegativeSources(config.task(), config.items().capacity());
        PackedBatch batch = TestBatches.random(new SplittableRandom(1), new int[] {4, 5}, 40);
        TrainingTargets targets = TrainingTargets.of(batch, 5);
        Candidates first =
                sources.draw(batch, targets, 40, new SplittableRandom(2), true).candidates();
        assertThat(first.size()).as("nothing cached yet").isEqualTo(2 + 3);

        sources.offerHardest(new long[] {41, 42, 43}, new float[] {0.9f, 0.2f, 0.7f});
        assertThat(sources.cachedHardNegatives()).containsExactly(43, 41);
        Candidates next =
                sources.draw(batch, targets, 40, new SplittableRandom(2), true).candidates();
        assertThat(next.size()).isEqualTo(2 + 3 + 2);
        long[] added = Arrays.copyOfRange(next.ids(), 5, 7);
        assertThat(added).containsExactlyInAnyOrder(41, 43);
        // no target is 41 or 43: each is expected once as added, plus the uniform draws' 3 x 1/38 that every row gets
        assertThat((double) next.logExpectedCount()[5]).isCloseTo(Math.log(1 + 3.0 / 38), within(1e-6));
        assertThat((double) next.logExpectedCount()[6]).isCloseTo(Math.log(1 + 3.0 / 38), within(1e-6));
    }
}
