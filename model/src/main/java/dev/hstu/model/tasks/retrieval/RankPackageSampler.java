package dev.hstu.model.tasks.retrieval;

import dev.hstu.model.config.RankPackageConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws each target's rank package: negatives from the user's own history before the target, a
 * configured number per category (clicked or only exposed, hot or cold item), plus random items of
 * the catalogue. Items the user interacted with but did not pick next are the hard negatives the
 * shared, catalogue-wide negatives rarely contain.
 *
 * <p>Within one target's package the items are distinct and never the target itself. A slot whose
 * category has no such item in the history (or none found within a few draws) stays {@link
 * RankPackage#EMPTY} and the loss masks it, so every target has the same number of slots and the
 * package scores are one batched product.
 *
 * <p>A target's history is the prefix of its sequence, which grows by one event per target: each
 * history event is classified once per step, into per-category lists reused across steps.
 */
public final class RankPackageSampler {

    /** Draws per slot before it is left empty: bounds the cost when a category holds mostly the target. */
    private static final int ATTEMPTS = 8;

    private static final int HISTORY_CATEGORIES = RankPackageCategory.RANDOM.ordinal();

    private final int[] counts;
    private final RankPackageCategory[] slotCategories;
    private final double hotShare;
    private final TargetPopularity popularity;
    private final int[][] prefixItems = new int[HISTORY_CATEGORIES][16];
    private final int[] prefixSize = new int[HISTORY_CATEGORIES];

    /**
     * @param counts slots per category, in the order of {@link RankPackageCategory}
     * @param hotShare the popular head's share of the recent targets (see {@link TargetPopularity#hotThreshold})
     * @param popularity recent targets; the caller records each step's targets in it
     */
    public RankPackageSampler(List<Integer> counts, double hotShare, TargetPopularity popularity) {
        if (counts.size() != RankPackageConfig.CATEGORIES) {
            throw new IllegalArgumentException("model.task.rankPackage.counts must hold " + RankPackageConfig.CATEGORIES
                    + " counts, got " + counts);
        }
        this.counts = counts.stream().mapToInt(Integer::intValue).toArray();
        this.slotCategories = new RankPackageCategory[Arrays.stream(this.counts).sum()];
        int slot = 0;
        for (RankPackageCategory category : RankPackageCategory.values()) {
            for (int n = 0; n < this.counts[category.ordinal()]; n++) {
                slotCategories[slot++] = category;
            }
        }
        this.hotShare = hotShare;
        this.popularity = popularity;
    }

    /**
     * @param batch the step's batch
     * @param targets its targets (in sequence, then position order)
     * @param itemRowsInUse random items come from rows {@code [2, itemRowsInUse)}
     * @param random the step's generator
     * @return every target's package
     */
    public RankPackage draw(PackedBatch batch, TrainingTargets targets, int itemRowsInUse, SplittableRandom random) {
        int perTarget = slotCategories.length;
        int[] events = targets.targetEvents();
        long[] ids = new long[events.length * perTarget];
        int hotCount = popularity.hotThreshold(hotShare);
        int[] items = batch.items();
        int[] actions = batch.actions();
        int[] offsets = batch.offsets();
        int sequence = -1;
        int classified = 0;
        for (int t = 0; t < events.length; t++) {
            int event = events[t];
            if (sequence < 0 || event >= offsets[sequence + 1]) {
                do {
                    sequence++;
                } while (event >= offsets[sequence + 1]);
                Arrays.fill(prefixSize, 0);
                classified = offsets[sequence];
            }
            for (; classified < event; classified++) {
                int item = items[classified];
                if (item != ItemVocabulary.OUT_OF_VOCABULARY) {
                    boolean hot = popularity.count(item) >= hotCount;
                    remember(
                            RankPackageCategory.ofEvent(Clicks.isClick(actions[classified]), hot)
                                    .ordinal(),
                            item);
                }
            }
            long target = items[event];
            int from = t * perTarget;
            for (int slot = from; slot < from + perTarget; slot++) {
                RankPackageCategory category = slotCategories[slot - from];
                ids[slot] = category == RankPackageCategory.RANDOM
                        ? fromCatalogue(itemRowsInUse, target, ids, from, slot, random)
                        : fromHistory(category.ordinal(), target, ids, from, slot, random);
            }
        }
        return new RankPackage(ids, perTarget, slotCategories);
    }

    private void remember(int category, int item) {
        int size = prefixSize[category];
        if (size == prefixItems[category].length) {
            prefixItems[category] = Arrays.copyOf(prefixItems[category], size * 2);
        }
        prefixItems[category][size] = item;
        prefixSize[category] = size + 1;
    }

    private long fromHistory(int category, long target, long[] ids, int from, int slot, SplittableRandom random) {
        int size = prefixSize[category];
        for (int attempt = 0; attempt < ATTEMPTS && size > 0; attempt++) {
            long item = prefixItems[category][random.nextInt(size)];
            if (item != target && !contains(ids, from, slot, item)) {
                return item;
            }
        }
        return RankPackage.EMPTY;
    }

    private static long fromCatalogue(
            int itemRowsInUse, long target, long[] ids, int from, int slot, SplittableRandom random) {
        int span = itemRowsInUse - ItemVocabulary.FIRST_ITEM;
        for (int attempt = 0; attempt < ATTEMPTS && span > 0; attempt++) {
            long item = ItemVocabulary.FIRST_ITEM + random.nextInt(span);
            if (item != target && !contains(ids, from, slot, item)) {
                return item;
            }
        }
        return RankPackage.EMPTY;
    }

    private static boolean contains(long[] ids, int from, int to, long item) {
        for (int i = from; i < to; i++) {
            if (ids[i] == item) {
                return true;
            }
        }
        return false;
    }
}
