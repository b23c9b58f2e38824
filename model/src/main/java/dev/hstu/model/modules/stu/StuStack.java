package dev.hstu.model.modules.stu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hstu.model.config.StuConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code numLayers} STU layers applied in turn; the attention structure (mask, buckets) is
 * computed once by the caller and shared by all layers. Same NDList contract as {@link
 * StuLayer}.
 */
public final class StuStack extends AbstractBlock implements SequenceStack {

    private final List<StuLayer> layers = new ArrayList<>();

    /**
     * @param stu the stack's settings (validated)
     * @param d model width
     */
    public StuStack(StuConfig stu, int d) {
        for (int i = 0; i < stu.numLayers(); i++) {
            layers.add(addChildBlock("layer" + i, new StuLayer(stu, d)));
        }
    }

    /**
     * @param ps parameter store
     * @param x {@code [B, L, d]}
     * @param structure attention scale and buckets of this batch
     * @param training enables dropout
     * @return {@code [B, L, d]}
     */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, AttentionStructure structure, boolean training) {
        NDArray h = x;
        for (StuLayer layer : layers) {
            h = layer.apply(ps, h, structure.scale(), structure.positionBuckets(), structure.timeBuckets(), training);
        }
        return h;
    }

    /** @return the layers, first to last */
    public List<StuLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        AttentionStructure structure = new AttentionStructure(null, inputs.get(1), inputs.get(2), inputs.get(3));
        return new NDList(apply(ps, inputs.get(0), structure, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (StuLayer layer : layers) {
            layer.initialize(manager, dataType, inputShapes);
        }
    }
}
