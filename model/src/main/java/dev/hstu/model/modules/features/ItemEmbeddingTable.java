package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

/**
 * The item-id embedding table {@code [itemCapacity, d]}, shared by the input side (raw rows) and
 * the output side (L2-normalised rows, the space queries are scored in).
 *
 * <p>Tying both sides is what HSTU and SASRec do for retrieval: an item is recommended when the
 * query points in the direction of the item's own input embedding, and every training step
 * updates the rows it scores.
 */
public final class ItemEmbeddingTable extends AbstractBlock {

    private static final float NORM_EPS = 1e-6f;

    private final Parameter weight;

    /**
     * @param capacity rows, including the reserved padding and out-of-vocabulary rows
     * @param dim embedding width
     */
    public ItemEmbeddingTable(int capacity, int dim) {
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(capacity, dim))
                .optInitializer(new TruncatedNormalInitializer(0.02f))
                .build());
    }

    /**
     * @param ps parameter store
     * @param indices int64 item rows of any shape {@code S}
     * @return raw embeddings {@code S x d}
     */
    public NDArray lookup(ParameterStore ps, NDArray indices) {
        return Embedding.embedding(indices, table(ps, indices), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /**
     * @param ps parameter store
     * @param indices int64 item rows of any shape {@code S}
     * @return unit-norm embeddings {@code S x d}, the scoring space
     */
    public NDArray normalizedLookup(ParameterStore ps, NDArray indices) {
        return lookup(ps, indices).normalize(2, -1, NORM_EPS);
    }

    /**
     * @param ps parameter store
     * @param from first row (inclusive)
     * @param to last row (exclusive)
     * @param like an array on the device to read from
     * @return unit-norm rows {@code [to-from, d]}
     */
    public NDArray normalizedRows(ParameterStore ps, int from, int to, NDArray like) {
        return table(ps, like).get(new NDIndex(from + ":" + to)).normalize(2, -1, NORM_EPS);
    }

    /** @return the table parameter */
    public Parameter weight() {
        return weight;
    }

    private NDArray table(ParameterStore ps, NDArray like) {
        return ps.getValue(weight, like.getDevice(), false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(lookup(ps, inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(weight.getShape().get(1)))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
