package dev.hstu.model.serve;

import com.github.jelmerk.knn.DistanceFunctions;
import com.github.jelmerk.knn.Item;
import com.github.jelmerk.knn.ProgressListener;
import com.github.jelmerk.knn.SearchResult;
import com.github.jelmerk.knn.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Approximate top-k by inner product over a fixed candidate set, with an HNSW graph from
 * hnswlib-core (the Java port of hnswlib). The distance is {@code 1 - dot}, so on unit vectors
 * the nearest candidates are those with the highest cosine, the ranking of the exact path.
 */
public final class HnswCandidateIndex {

    /** One candidate: its position in the caller's candidate list and its vector. */
    private record Candidate(Integer id, float[] vector) implements Item<Integer, float[]> {
        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    private final HnswIndex<Integer, float[], Candidate, Float> index;
    private final int dim;

    private HnswCandidateIndex(HnswIndex<Integer, float[], Candidate, Float> index, int dim) {
        this.index = index;
        this.dim = dim;
    }

    /**
     * @param vectors candidate vectors, row-major, {@code dim} floats each
     * @param dim floats per vector
     * @param include which rows to index (e.g. only candidates the model has an embedding for)
     * @param m graph degree
     * @param efConstruction beam width while building
     * @param threads insertion threads
     * @param progress told about insertion progress
     * @return the index; its ids are row numbers of {@code vectors}
     * @throws InterruptedException if interrupted while building
     */
    public static HnswCandidateIndex build(
            float[] vectors,
            int dim,
            IntPredicate include,
            int m,
            int efConstruction,
            int threads,
            ProgressListener progress)
            throws InterruptedException {
        int rows = vectors.length / dim;
        List<Candidate> items = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            if (include.test(row)) {
                items.add(new Candidate(row, Arrays.copyOfRange(vectors, row * dim, (row + 1) * dim)));
            }
        }
        HnswIndex<Integer, float[], Candidate, Float> index = HnswIndex.newBuilder(
                        dim, DistanceFunctions.FLOAT_INNER_PRODUCT, Math.max(1, items.size()))
                .withM(m)
                .withEfConstruction(efConstruction)
                .build();
        index.addAll(items, threads, progress, Math.max(1, items.size() / 4));
        return new HnswCandidateIndex(index, dim);
    }

    /** @param ef the search beam width (the library searches with {@code max(ef, k)}) */
    public void setEf(int ef) {
        index.setEf(ef);
    }

    /** @return candidates in the index */
    public int size() {
        return index.size();
    }

    /**
     * @param query {@code dim} floats
     * @param k results wanted
     * @return the rows of the (approximately) best candidates, best first, with their scores
     */
    public TopK nearest(float[] query, int k) {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has " + query.length + " floats, the index " + dim);
        }
        List<SearchResult<Candidate, Float>> found = index.findNearest(query, k);
        int[] rows = new int[found.size()];
        float[] scores = new float[found.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = found.get(i).item().id();
            scores[i] = 1f - found.get(i).distance();
        }
        return new TopK(rows, scores);
    }
}
