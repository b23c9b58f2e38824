package dev.hstu.bench.retrieval;

/**
 * The k best (score, id) pairs seen so far, as a min-heap on score: a scan pays a heap update only for a row that
 * beats the current k-th best, which after the first few thousand rows is rare.
 */
public final class TopKHeap {

    private final float[] scores;
    private final int[] ids;
    private int size;

    public TopKHeap(int k) {
        scores = new float[k];
        ids = new int[k];
    }

    public void clear() {
        size = 0;
    }

    /** The score a row must beat to enter; -infinity until the heap is full. */
    public float threshold() {
        return size < scores.length ? Float.NEGATIVE_INFINITY : scores[0];
    }

    public void offer(float score, int id) {
        if (size < scores.length) {
            scores[size] = score;
            ids[size] = id;
            siftUp(size++);
        } else if (score > scores[0]) {
            scores[0] = score;
            ids[0] = id;
            siftDown();
        }
    }

    /** Adds every pair of another heap (the merge of per-thread partial results). */
    public void offerAll(TopKHeap other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.scores[i], other.ids[i]);
        }
    }

    public int size() {
        return size;
    }

    /** The ids held, in no particular order. */
    public int[] ids() {
        return java.util.Arrays.copyOf(ids, size);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (scores[parent] <= scores[i]) {
                return;
            }
            swap(parent, i);
            i = parent;
        }
    }

    private void siftDown() {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int smallest = i;
            if (l < size && scores[l] < scores[smallest]) {
                smallest = l;
            }
            if (r < size && scores[r] < scores[smallest]) {
                smallest = r;
            }
            if (smallest == i) {
                return;
            }
            swap(smallest, i);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        float t = scores[a];
        scores[a] = scores[b];
        scores[b] = t;
        int u = ids[a];
        ids[a] = ids[b];
        ids[b] = u;
    }
}
