package dev.hstu.model.features;

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
 * Turns item embeddings into the STU stack's input: {@code item * sqrt(d) + position(p) +
 * action(a)}, zero at padding.
 *
 * <p>Positions are absolute from the start of the (left-aligned) sequence, so an event's input
 * never depends on events after it. The action is the event's bitmask value, one learned row per
 * value in {@code [0, numActions)}.
 *
 * <p>NDList contract: inputs {@code (itemEmbeddings [B,L,d], actions [B,L] int64, valid [B,L]
 * float)}, output {@code ([B,L,d])}.
 */
public final class InputPreprocessor extends AbstractBlock {

    private final float itemScale;
    private final Parameter positionEmbedding;
    private final Parameter actionEmbedding;

    /**
     * @param dim model width
     * @param maxSeqLen rows of the absolute position table
     * @param numActions rows of the action table
     */
    public InputPreprocessor(int dim, int maxSeqLen, int numActions) {
        this.itemScale = (float) Math.sqrt(dim);
        this.positionEmbedding = addParameter(Parameter.builder().setName("position").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(maxSeqLen, dim)).optInitializer(new TruncatedNormalInitializer(0.02f)).build());
        this.actionEmbedding = addParameter(Parameter.builder().setName("action").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(numActions, dim)).optInitializer(new TruncatedNormalInitializer(0.02f)).build());
    }

    /**
     * @param ps parameter store
     * @param itemEmbeddings {@code [B, L, d]} raw item rows
     * @param actions {@code [B, L]} int64
     * @param valid {@code [B, L]} 1 for events, 0 for padding, in the model's float type
     * @return {@code [B, L, d]}
     */
    public NDArray apply(ParameterStore ps, NDArray itemEmbeddings, NDArray actions, NDArray valid) {
        long l = itemEmbeddings.getShape().get(1);
        NDArray positions = ps.getValue(positionEmbedding, itemEmbeddings.getDevice(), false).get(new NDIndex("0:" + l));
        NDArray actionRows = Embedding.embedding(actions, ps.getValue(actionEmbedding, actions.getDevice(), false),
                SparseFormat.DENSE).singletonOrThrow();
        return itemEmbeddings.mul(itemScale).add(positions).add(actionRows).mul(valid.expandDims(2));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), inputs.get(2)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
