package dev.hstu.model.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.function.IntPredicate;

/**
 * Exact top-k by inner product over a fixed candidate set: one matrix product per batch of
 * queries on the model's device, then a bounded selection per query on the host, skipping the
 * candidates a caller excludes (e.g. items already in the user's history).
 */
public final class ExactCandidateTopK implements AutoCloseable {

    private final NDManager manager;
    private final NDArray candidatesT;
    private final int dim;
    private final int rows;
    private final boolean[] ranked;

    /**
     * @param parent where the candidate matrix lives (e.g. the model's manager, for its device)
     * @param vectors candidate vectors, row-major, {@code dim} floats each
     * @param dim floats per vector
     * @param include which rows may be returned at all
     */
    public ExactCandidateTopK(NDManager parent, float[] vectors, int dim, IntPredicate include) {
        this.manager = parent.newSubManager();
        this.dim = dim;
        this.rows = vectors.length / dim;
        this.candidatesT = manager.create(vectors, new Shape(rows, dim)).transpose();
        this.ranked = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            ranked[r] = include.test(r);
        }
    }

    /**
     * @param queries {@code n * dim} floats, row-major
     * @param k results per query
     * @param excluded per query, rows it must not get (null: none)
     * @return per query the best rows, best first
     */
    public TopK[] topK(float[] queries, int k, IntPredicate[] excluded) {
        int n = queries.length / dim;
        float[] scores;
        try (NDScope ignored = new NDScope()) {
            NDArray q = manager.create(queries, new Shape(n, dim));
            scores = q.matMul(candidatesT).toFloatArray();
        }
        TopK[] out = new TopK[n];
        for (int i = 0; i < n; i++) {
            out[i] = select(scores, i * rows, k, excluded == null ? null : excluded[i]);
        }
        return out;
    }

    /** The k best of one query's scores with a min-heap of the k best so far (ties: lower row first). */
    private TopK select(float[] scores, int from, int k, IntPredicate excluded) {
        int[] heap = new int[k];
        int size = 0;
        for (int r = 0; r < rows; r++) {
            if (!ranked[r] || (excluded != null && excluded.test(r))) {
                continue;
            }
            if (size < k) {
                heap[size] = r;
                siftUp(heap, size++, scores, from);
            } else if (better(r, heap[0], scores, from)) {
                heap[0] = r;
                siftDown(heap, size, scores, from);
            }
        }
        int[] items = new int[size];
        float[] best = new float[size];
        for (int i = size - 1; i >= 0; i--) {
            items[i] = heap[0];
            best[i] = scores[from + heap[0]];
            heap[0] = heap[--size];
            siftDown(heap, size, scores, from);
        }
        return new TopK(items, best);
    }

    private static boolean better(int a, int b, float[] s, int from) {
        float x = s[from + a];
        float y = s[from + b];
        return x > y || (x == y && a < b);
    }

    private static void siftUp(int[] heap, int i, float[] s, int from) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(heap[parent], heap[i], s, from)) {
                break;
            }
            int t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size, float[] s, int from) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int worst = i;
            if (l < size && better(heap[worst], heap[l], s, from)) {
                worst = l;
            }
            if (l + 1 < size && better(heap[worst], heap[l + 1], s, from)) {
                worst = l + 1;
            }
            if (worst == i) {
                return;
            }
            int t = heap[worst];
            heap[worst] = heap[i];
            heap[i] = t;
            i = worst;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
