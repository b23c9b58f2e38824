package dev.hstu.model.tasks.retrieval;

import static dev.hstu.model.tasks.retrieval.RankPackageCategory.COLD_CLICK;
import static dev.hstu.model.tasks.retrieval.RankPackageCategory.COLD_EXPOSURE;
import static dev.hstu.model.tasks.retrieval.RankPackageCategory.HOT_CLICK;
import static dev.hstu.model.tasks.retrieval.RankPackageCategory.HOT_EXPOSURE;
import static dev.hstu.model.tasks.retrieval.RankPackageCategory.RANDOM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.model.data.PackedBatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankPackageSamplerTest {

    private static final int ITEM_ROWS = 40;
    private static final long E = RankPackage.EMPTY;

    @Test
    void hotItemsAreTheMostFrequentRecentTargetsThatMakeUpTheShare() {
        TargetPopularity popularity = popularity();
        // counts: 10 x6, 20 x5, four items x1 = 15 targets; 60% = 9 needs items 10 and 20 (11 targets)
        assertThat(popularity.hotThreshold(0.6)).isEqualTo(5);
        assertThat(popularity.hotThreshold(0.4)).isEqualTo(6);
        assertThat(popularity.hotThreshold(1.0)).isEqualTo(1);
        assertThat(popularity.count(10)).isEqualTo(6);
        assertThat(popularity.count(39)).isZero();
        assertThat(new TargetPopularity(8, 4).hotThreshold(0.5))
                .as("nothing remembered: nothing hot")
                .isEqualTo(Integer.MAX_VALUE);
        // the counts of counts follow evictions
        TargetPopularity window = new TargetPopularity(3, 4);
        window.record(new long[] {7, 7, 7, 8, 8}); // the ring keeps 7, 8, 8
        assertThat(window.hotThreshold(0.6)).isEqualTo(2);
        assertThat(window.hotThreshold(1.0)).isEqualTo(1);
    }

    @Test
    void packagesComeFromTheHistoryBeforeTheTargetByCategoryAndNeverHoldTheTarget() {
        // sequence 0 alternates clicks (action 1) and exposures (action 0); 10 and 20 are hot; sequence 1 is another
        // user
        PackedBatch batch = PackedBatch.builder()
                .addSequence(
                        new int[] {10, 20, 11, 21, 12, 22, 10, 23},
                        new int[] {1, 0, 1, 0, 1, 0, 1, 0},
                        timestamps(8),
                        0,
                        8,
                        0)
                .addSequence(new int[] {30, 31}, new int[] {1, 1}, timestamps(2), 0, 2, 0)
                .build();
        TrainingTargets targets = TrainingTargets.of(batch, 8);
        RankPackageSampler sampler = new RankPackageSampler(List.of(2, 2, 2, 2, 2), 0.6, popularity());
        RankPackage drawn = sampler.draw(batch, targets, ITEM_ROWS, new SplittableRandom(3));

        assertThat(drawn.perTarget()).isEqualTo(10);
        assertThat(drawn.targets()).isEqualTo(8);
        assertThat(drawn.slotCategories())
                .containsExactly(
                        COLD_CLICK,
                        COLD_CLICK,
                        HOT_CLICK,
                        HOT_CLICK,
                        COLD_EXPOSURE,
                        COLD_EXPOSURE,
                        HOT_EXPOSURE,
                        HOT_EXPOSURE,
                        RANDOM,
                        RANDOM);
        for (int t = 0; t < drawn.targets(); t++) {
            int event = targets.targetEvents()[t];
            long target = batch.items()[event];
            int start = event < 8 ? 0 : 8;
            Set<Long> seen = new HashSet<>();
            for (int slot = 0; slot < drawn.perTarget(); slot++) {
                long item = drawn.id(t, slot);
                if (item == E) {
                    continue;
                }
                assertThat(item).as("target %d slot %d", t, slot).isNotEqualTo(target);
                assertThat(seen.add(item)).as("target %d: %d twice", t, item).isTrue();
                RankPackageCategory category = drawn.slotCategories()[slot];
                if (category == RANDOM) {
                    assertThat(item).isBetween(2L, ITEM_ROWS - 1L);
                } else {
                    assertThat(categoriesInPrefix(batch, start, event, item))
                            .as("target %d slot %d item %d", t, slot, item)
                            .contains(category);
                }
            }
        }
        // the first target (item 20) has one event of history: the hot click 10
        assertThat(history(drawn, 0)).containsExactly(E, E, 10L, E, E, E, E, E);
        // the seventh target is 10 itself: the only hot click is left out
        assertThat(history(drawn, 5).subList(2, 4)).as("target 10's hot clicks").containsExactly(E, E);
        // the last target of sequence 0 (item 23) has every category in its history
        List<Long> full = history(drawn, 6);
        assertThat(full.subList(0, 2)).containsExactlyInAnyOrder(11L, 12L);
        assertThat(full.subList(2, 4)).containsExactly(10L, E);
        assertThat(full.subList(4, 6)).containsExactlyInAnyOrder(21L, 22L);
        assertThat(full.subList(6, 8)).containsExactly(20L, E);
        // sequence 1 sees only its own history: 30, a cold click
        assertThat(history(drawn, 7)).containsExactly(30L, E, E, E, E, E, E, E);
        for (int t = 0; t < drawn.targets(); t++) {
            assertThat(drawn.id(t, 8)).as("random slots of target %d", t).isNotEqualTo(E);
        }
    }

    @Test
    void emptySlotsAreWhatTheLossMasks() {
        RankPackage drawn = new RankPackage(new long[] {5, E, 7, E}, 2, new RankPackageCategory[] {COLD_CLICK, RANDOM});
        assertThat(drawn.emptyMask()).containsExactly(0f, 1f, 0f, 1f);
    }

    /** 10 six times, 20 five times, 11, 12, 21, 22 once. */
    private static TargetPopularity popularity() {
        TargetPopularity popularity = new TargetPopularity(100, ITEM_ROWS);
        popularity.record(new long[] {10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 11, 12, 21, 22});
        return popularity;
    }

    private static List<Long> history(RankPackage drawn, int target) {
        List<Long> out = new ArrayList<>();
        for (int slot = 0; slot < 8; slot++) {
            out.add(drawn.id(target, slot));
        }
        return out;
    }

    private static Set<RankPackageCategory> categoriesInPrefix(PackedBatch batch, int start, int end, long item) {
        Set<RankPackageCategory> out = new HashSet<>();
        for (int e = start; e < end; e++) {
            if (batch.items()[e] == item) {
                boolean hot = item == 10 || item == 20;
                out.add(RankPackageCategory.ofEvent(Clicks.isClick(batch.actions()[e]), hot));
            }
        }
        return out;
    }

    private static long[] timestamps(int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = 1_000 + i;
        }
        return out;
    }
}
