package dev.hstu.model.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.hstu.model.HstuModel;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.train.Autograd;

/**
 * What a serving job needs for a batch of users from one encoder pass: each sequence's query embedding and its
 * top-K items by the model's task scores on that same pass. Calling {@link HstuModel#recommend} and
 * {@link HstuModel#encodeQueries} instead would run the encoder twice.
 */
public final class QueryRetrieval {

    /**
     * @param queries {@code size * dim} floats, row-major: the unit-norm query of each sequence, in batch order
     * @param dim floats per query
     * @param topK the best items of each sequence, in batch order
     */
    public record Result(float[] queries, int dim, TopK[] topK) {

        /** @return the query of sequence {@code s} (a copy) */
        public float[] query(int s) {
            float[] row = new float[dim];
            System.arraycopy(queries, s * dim, row, 0, dim);
            return row;
        }
    }

    private QueryRetrieval() {}

    /**
     * @param model the model
     * @param seqs sequences (targets ignored)
     * @param k items per sequence
     * @param excludeSeen drop the items already in the sequence
     * @param itemRows score item rows {@code 2..itemRows-1}, e.g. the serving side's {@code ItemVocabulary.size()}
     * @return the queries and top-K lists of every sequence
     */
    public static Result retrieve(HstuModel model, PackedBatch seqs, int k, boolean excludeSeen, int itemRows) {
        if (itemRows < ItemVocabulary.FIRST_ITEM
                || itemRows > model.config().items().capacity()) {
            throw new IllegalArgumentException("item rows must be in [" + ItemVocabulary.FIRST_ITEM + ", "
                    + model.config().items().capacity() + "], got " + itemRows);
        }
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            PaddedSequences padded = PaddedSequences.of(seqs, model.config(), model.manager());
            NDArray out = model.forward(padded, false);
            NDArray queries = model.lastOutputs(out, seqs);
            NDArray scores = model.task().scores(model, out, seqs, itemRows);
            TopK[] top = ItemScorer.topK(scores, k, excludeSeen ? seqs : null);
            float[] flat = queries.toType(DataType.FLOAT32, false).toFloatArray();
            return new Result(flat, model.config().encoder().embeddingDim(), top);
        }
    }
}
