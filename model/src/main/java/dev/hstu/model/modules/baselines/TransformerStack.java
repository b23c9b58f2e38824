package dev.hstu.model.modules.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hstu.model.config.StuConfig;
import dev.hstu.model.modules.stu.AttentionStructure;
import dev.hstu.model.modules.stu.SequenceStack;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code numLayers} {@link TransformerLayer}s; the key mask (causal and padding) comes from the
 * same {@link AttentionStructure} the STU layers use, so both encoders see identical inputs.
 */
public final class TransformerStack extends AbstractBlock implements SequenceStack {

    private final List<TransformerLayer> layers = new ArrayList<>();

    /**
     * @param stu the stack's settings (validated)
     * @param d model width
     */
    public TransformerStack(StuConfig stu, int d) {
        for (int i = 0; i < stu.numLayers(); i++) {
            layers.add(addChildBlock("layer" + i, new TransformerLayer(stu, d)));
        }
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, AttentionStructure structure, boolean training) {
        NDArray keyMask = structure.scale().gt(0f).toType(x.getDataType(), false);
        NDArray h = x;
        for (TransformerLayer layer : layers) {
            h = layer.apply(ps, h, keyMask, training);
        }
        return h;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray keyMask = inputs.get(1);
        NDArray h = inputs.get(0);
        for (TransformerLayer layer : layers) {
            h = layer.apply(ps, h, keyMask, training);
        }
        return new NDList(h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
        }
    }
}
