package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn;
import java.util.List;

/**
 * A learned linear map from each event's optional dense features to the model width, so they can
 * be added to the item embedding like the other input features: {@code y = f W^T + b}.
 *
 * <p>The weights start as small as the other input tables' rows (truncated normal, std 0.02), so
 * the features begin as a small perturbation of the item embedding. With a Xavier start, four
 * features of order 1 added a term about 20 times the scaled item row to every input, and the
 * streaming demo with the CTR channels fell from HR@10 0.044 to 0.033 and 0.038.
 *
 * <p>NDList contract: input {@code (features [B,L,denseDim])}, output {@code ([B,L,d])}.
 */
public final class DenseFeatureProjection extends AbstractBlock implements InputFeature {

    /** On with {@code denseFeatureDim > 0}; reads the {@link FeatureColumn#DENSE} column. */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return config.features().denseDim() > 0;
        }

        @Override
        public List<FeatureColumn> columns(HstuConfig config) {
            return List.of(FeatureColumn.dense(config.features().denseDim()));
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            int denseDim = config.features().denseDim();
            return registrar.child(
                    "denseProjection",
                    new DenseFeatureProjection(denseDim, config.encoder().embeddingDim()),
                    hidden -> new Shape[] {new Shape(hidden.get(0), hidden.get(1), denseDim)});
        }
    };

    private final int denseDim;
    private final int dim;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param denseDim features per event ({@code >= 1})
     * @param dim model width {@code d}
     */
    public DenseFeatureProjection(int denseDim, int dim) {
        if (denseDim < 1 || dim < 1) {
            throw new IllegalArgumentException("denseDim and dim must be >= 1, got " + denseDim + " and " + dim);
        }
        this.denseDim = denseDim;
        this.dim = dim;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(dim, denseDim))
                .optInitializer(new TruncatedNormalInitializer(0.02f))
                .build());
        this.bias = addParameter(Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(dim))
                .build());
    }

    /**
     * @param ps parameter store
     * @param features {@code [B, L, denseDim]}, any float type (cast to the weight's)
     * @return {@code [B, L, d]}
     */
    public NDArray apply(ParameterStore ps, NDArray features) {
        NDArray w = ps.getValue(weight, features.getDevice(), false);
        NDArray b = ps.getValue(bias, features.getDevice(), false);
        // PaddedSequences creates float32; a float64 gradient check needs the weight's type
        NDArray typed = features.getDataType() == w.getDataType() ? features : features.toType(w.getDataType(), false);
        return Linear.linear(typed, w, b).singletonOrThrow();
    }

    /** @return features per event */
    public int denseDim() {
        return denseDim;
    }

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public List<String> reads() {
        return List.of(FeatureColumn.DENSE);
    }

    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        return new NDList(apply(
                ps,
                inputs.require(
                        FeatureColumn.DENSE,
                        "model.features.denseDim=" + denseDim
                                + " needs the denseFeatures input (pack batches with PackedBatch.builder(denseDim))")));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), dim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
