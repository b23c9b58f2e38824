package dev.hstu.bench.retrieval;

/**
 * Exact top-k by dot product with plain scalar Java: the reference the other paths are checked against (its
 * arithmetic is the easiest to trust), and the floor the SIMD scan is measured from.
 */
public final class ScalarScan {

    private ScalarScan() {}

    /** Offers rows {@code [from, to)} of a row-major table to {@code heap}. */
    public static void scan(float[] table, int dim, int from, int to, float[] query, int qOff, TopKHeap heap) {
        for (int row = from; row < to; row++) {
            heap.offer(dot(table, row * dim, query, qOff, dim), row);
        }
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        float s = 0;
        for (int d = 0; d < dim; d++) {
            s += a[aOff + d] * b[bOff + d];
        }
        return s;
    }
}
