package dev.hstu.bench.retrieval;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact top-k by dot product with the Java Vector API (incubator in Java 17): fused multiply-adds over the widest
 * lanes the CPU has, one horizontal sum per row. C2 does not vectorise a float reduction by itself (it must keep the
 * scalar summation order), so this is the way to get SIMD from Java without native code.
 */
public final class SimdScan {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SimdScan() {}

    /** Offers rows {@code [from, to)} of a row-major table to {@code heap}. */
    public static void scan(float[] table, int dim, int from, int to, float[] query, int qOff, TopKHeap heap) {
        for (int row = from; row < to; row++) {
            float s = dot(table, row * dim, query, qOff, dim);
            if (s > heap.threshold()) {
                heap.offer(s, row);
            }
        }
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(dim);
        FloatVector acc = FloatVector.zero(SPECIES);
        int d = 0;
        for (; d < bound; d += lanes) {
            acc = FloatVector.fromArray(SPECIES, a, aOff + d).fma(FloatVector.fromArray(SPECIES, b, bOff + d), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; d < dim; d++) {
            s += a[aOff + d] * b[bOff + d];
        }
        return s;
    }

    /** Lanes per vector on this CPU, for the report. */
    public static int lanes() {
        return SPECIES.length();
    }
}
