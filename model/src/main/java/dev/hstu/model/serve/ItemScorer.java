package dev.hstu.model.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import java.util.Arrays;

/**
 * Exact top-K retrieval over a batch's scores of all candidate item rows: one topK on the device;
 * only {@code S x k} results cross to the JVM.
 */
public final class ItemScorer {

    private ItemScorer() {}

    /**
     * @param scores {@code [S, n]} scores of items {@code 2..n+1} for each query, higher is better
     * @param k items per query, capped at {@code n}
     * @param seen when not null, the items of sequence {@code s} of this batch are excluded from
     *     the results of query {@code s}
     * @return one {@link TopK} per query; shorter than {@code k} when fewer unseen items exist
     */
    public static TopK[] topK(NDArray scores, int k, PackedBatch seen) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int s = (int) scores.getShape().get(0);
        int n = (int) scores.getShape().get(1);
        if (n == 0) {
            TopK[] empty = new TopK[s];
            Arrays.fill(empty, new TopK(new int[0], new float[0]));
            return empty;
        }
        if (seen != null) {
            scores = excludeSeen(scores, seen, n);
        }
        int kk = Math.min(k, n);
        NDList best = scores.topK(kk, 1, true, true);
        float[] values = best.get(0).toType(DataType.FLOAT32, false).toFloatArray();
        long[] columns = best.get(1).toType(DataType.INT64, false).toLongArray();
        TopK[] out = new TopK[s];
        for (int q = 0; q < s; q++) {
            int count = 0;
            while (count < kk && values[q * kk + count] != Float.NEGATIVE_INFINITY) {
                count++;
            }
            int[] ids = new int[count];
            float[] sc = new float[count];
            for (int i = 0; i < count; i++) {
                ids[i] = (int) columns[q * kk + i] + ItemVocabulary.FIRST_ITEM;
                sc[i] = values[q * kk + i];
            }
            out[q] = new TopK(ids, sc);
        }
        return out;
    }

    /**
     * Sets to minus infinity the score of every item in each query's own sequence.
     *
     * @param scores {@code [S, n]} scores of item rows {@code 2..n+1}
     * @param seen the S sequences
     * @param n scored item rows
     * @return the masked scores
     */
    public static NDArray excludeSeen(NDArray scores, PackedBatch seen, int n) {
        int[] offsets = seen.offsets();
        long[] flat = new long[seen.totalEvents()];
        int count = 0;
        for (int q = 0; q < seen.size(); q++) {
            for (int i = offsets[q]; i < offsets[q + 1]; i++) {
                int column = seen.items()[i] - ItemVocabulary.FIRST_ITEM;
                if (column >= 0 && column < n) {
                    flat[count++] = (long) q * n + column;
                }
            }
        }
        if (count == 0) {
            return scores;
        }
        NDManager manager = scores.getManager();
        NDArray index = manager.create(Arrays.copyOf(flat, count));
        NDArray minusInf = manager.full(index.getShape(), Float.NEGATIVE_INFINITY, scores.getDataType());
        return scores.put(index, minusInf);
    }
}
