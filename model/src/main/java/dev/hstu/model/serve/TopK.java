package dev.hstu.model.serve;

/**
 * The best items for one query, best first.
 *
 * @param items the rows ranked: dense item rows ({@code >= 2}) of the item table, or rows of a
 *     candidate list ({@link ExactCandidateTopK}, {@link HnswCandidateIndex})
 * @param scores cosine similarity of each item to the query
 */
public record TopK(int[] items, float[] scores) {

    /** @return number of items returned */
    public int size() {
        return items.length;
    }
}
