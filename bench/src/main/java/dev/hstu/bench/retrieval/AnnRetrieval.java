package dev.hstu.bench.retrieval;

import com.github.jelmerk.knn.DistanceFunction;
import com.github.jelmerk.knn.Item;
import com.github.jelmerk.knn.NullProgressListener;
import com.github.jelmerk.knn.SearchResult;
import com.github.jelmerk.knn.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Approximate top-k by dot product with an HNSW graph (hnswlib-core, the Java port of hnswlib). Distance is
 * {@code 1 - dot}, so the nearest items are the highest-scoring ones; on unit-norm vectors this is the cosine
 * ranking the exact paths compute. The distance is the library's extension point and is given the same SIMD dot
 * product as the exact SIMD scan, so the comparison is between search strategies, not between two dot products.
 */
final class AnnRetrieval {

    /** One item of the index; hnswlib keeps its own reference to each vector. */
    record IndexedVector(Integer id, float[] vector) implements Item<Integer, float[]> {
        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    /** {@code 1 - dot(u, v)} with the Vector API. */
    static final class SimdInnerProduct implements DistanceFunction<float[], Float> {
        private static final long serialVersionUID = 1L;

        @Override
        public Float distance(float[] u, float[] v) {
            return 1f - SimdScan.dot(u, 0, v, 0, u.length);
        }
    }

    private final HnswIndex<Integer, float[], IndexedVector, Float> index;
    private final int dim;

    private AnnRetrieval(HnswIndex<Integer, float[], IndexedVector, Float> index, int dim) {
        this.index = index;
        this.dim = dim;
    }

    /** Inserts every row of a row-major table on {@code threads} threads. */
    static AnnRetrieval build(float[] table, int dim, int m, int efConstruction, int threads)
            throws InterruptedException {
        int rows = table.length / dim;
        HnswIndex<Integer, float[], IndexedVector, Float> index = HnswIndex.newBuilder(
                        dim, new SimdInnerProduct(), rows)
                .withM(m)
                .withEfConstruction(efConstruction)
                .build();
        List<IndexedVector> items = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            items.add(new IndexedVector(row, Arrays.copyOfRange(table, row * dim, (row + 1) * dim)));
        }
        index.addAll(items, threads, NullProgressListener.INSTANCE, rows);
        return new AnnRetrieval(index, dim);
    }

    /** The beam width of a search; the library searches with {@code max(ef, k)}. */
    void setEf(int ef) {
        index.setEf(ef);
    }

    /** @return the ids of the (approximately) best k rows for one query */
    int[] topK(float[] queries, int qOff, int k) {
        List<SearchResult<IndexedVector, Float>> found =
                index.findNearest(Arrays.copyOfRange(queries, qOff, qOff + dim), k);
        int[] ids = new int[found.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = found.get(i).item().id();
        }
        return ids;
    }
}
