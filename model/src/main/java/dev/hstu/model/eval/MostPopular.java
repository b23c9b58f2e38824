package dev.hstu.model.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;

/**
 * The most-popular baseline: every user gets the same ranking, by how often each item occurs in the data it was
 * fitted on, most frequent first, equal counts by ascending item (row offline, id in the jobs' demo), so the
 * baseline is deterministic. The offline evaluator scores rows with it ({@link #scores}); the streaming demo ranks
 * item ids with {@link #ranking} and {@link #topK}.
 */
public final class MostPopular implements RankingScorer {

    private final float[] counts;
    private final NDManager manager;

    private MostPopular(float[] counts, NDManager manager) {
        this.counts = counts;
        this.manager = manager;
    }

    /**
     * Counts each item in the training part of every user (validation and test targets excluded).
     *
     * @param split the split
     * @param itemRows rows of the item table in use
     * @param manager where the score arrays are created
     * @return the fitted baseline
     */
    public static MostPopular fit(LeaveOneOutSplit split, int itemRows, NDManager manager) {
        float[] counts = new float[itemRows];
        for (int u = 0; u < split.sequences().size(); u++) {
            int[] items = split.sequences().items().get(u);
            for (int i = 0; i < split.trainingLength(u); i++) {
                counts[items[i]]++;
            }
        }
        return new MostPopular(counts, manager);
    }

    /**
     * @param item item row
     * @return its training count
     */
    public float count(int item) {
        return counts[item];
    }

    /**
     * @param counts occurrences per item id
     * @return the item ids, most frequent first, equal counts by ascending id
     */
    public static long[] ranking(Map<Long, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<Long, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .mapToLong(Map.Entry::getKey)
                .toArray();
    }

    /**
     * @param ranking item ids, best first ({@link #ranking})
     * @param excluded ids the user already has
     * @param k list length
     * @return the first {@code k} ids of the ranking not excluded (fewer when the ranking runs out)
     */
    public static long[] topK(long[] ranking, Set<Long> excluded, int k) {
        long[] list = new long[k];
        int n = 0;
        for (int i = 0; i < ranking.length && n < k; i++) {
            if (!excluded.contains(ranking[i])) {
                list[n++] = ranking[i];
            }
        }
        return n == k ? list : Arrays.copyOf(list, n);
    }

    @Override
    public NDArray scores(PackedBatch histories, int itemRows) {
        float[] row = new float[itemRows - ItemVocabulary.FIRST_ITEM];
        System.arraycopy(
                counts,
                ItemVocabulary.FIRST_ITEM,
                row,
                0,
                Math.min(row.length, counts.length - ItemVocabulary.FIRST_ITEM));
        return manager.create(row, new Shape(1, row.length)).repeat(0, histories.size());
    }
}
