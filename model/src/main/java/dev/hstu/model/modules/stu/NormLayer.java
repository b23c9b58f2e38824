package dev.hstu.model.modules.stu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hstu.model.config.NormType;

/** Normalises the last axis with LayerNorm or RMSNorm and a learned per-channel scale. */
public final class NormLayer extends AbstractBlock {

    private static final float EPS = 1e-6f;

    private final NormType type;
    private final int dim;
    private final Parameter gamma;
    private final Parameter beta;

    /**
     * @param type LAYER (scale and shift) or RMS (scale only)
     * @param dim size of the normalised last axis
     */
    public NormLayer(NormType type, int dim) {
        this.type = type;
        this.dim = dim;
        this.gamma = addParameter(Parameter.builder()
                .setName("gamma")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(dim))
                .build());
        this.beta = type == NormType.LAYER
                ? addParameter(Parameter.builder()
                        .setName("beta")
                        .setType(Parameter.Type.BETA)
                        .optShape(new Shape(dim))
                        .build())
                : null;
    }

    /**
     * @param ps parameter store
     * @param x input whose last axis has {@code dim} channels
     * @return normalised input, same shape
     */
    public NDArray apply(ParameterStore ps, NDArray x) {
        NDArray g = ps.getValue(gamma, x.getDevice(), false);
        if (type == NormType.LAYER) {
            NDArray b = ps.getValue(beta, x.getDevice(), false);
            return LayerNorm.layerNorm(x, new Shape(dim), g, b, EPS).singletonOrThrow();
        }
        NDArray rms = x.square().mean(new int[] {-1}, true).add(EPS).sqrt();
        return x.div(rms).mul(g);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children: parameter shapes are fixed by the constructor
    }
}
