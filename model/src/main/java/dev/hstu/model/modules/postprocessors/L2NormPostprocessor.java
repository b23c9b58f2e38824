package dev.hstu.model.modules.postprocessors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Scales every output vector to unit L2 norm, the space items are scored in by cosine. */
public final class L2NormPostprocessor extends AbstractBlock {

    private static final float EPS = 1e-6f;

    /**
     * @param x {@code [..., d]}
     * @return {@code x / max(|x|, eps)} along the last axis
     */
    public NDArray apply(NDArray x) {
        return x.normalize(2, -1, EPS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no parameters
    }
}
