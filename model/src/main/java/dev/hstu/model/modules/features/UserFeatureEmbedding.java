package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.PaddedSequences;
import java.util.List;

/**
 * Embeds a sequence's sparse user features as the mean of their rows in a hashed table: {@code u =
 * sum_k w_k E[row_k]} with {@code w_k = 1/(filled slots)} at filled slots and 0 at empty ones
 * (rows and weights come from {@code PaddedSequences}).
 *
 * <p>A mean rather than a sum keeps a user with many keys on the scale of one with few.
 *
 * <p>NDList contract: inputs {@code (rows [B,K] int64, weights [B,K] float)}, output {@code
 * ([B,1,d])}, ready to broadcast over the positions.
 */
public final class UserFeatureEmbedding extends AbstractBlock implements InputFeature {

    /**
     * On with {@code userFeatureSlots > 0}; reads the rows and weights {@code PaddedSequences}
     * derives from the {@link FeatureColumn#USER_FEATURES} column.
     */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return config.features().userFeatureSlots() > 0;
        }

        @Override
        public List<FeatureColumn> columns(HstuConfig config) {
            return List.of(FeatureColumn.userFeatures(config.features().userFeatureSlots()));
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            return registrar.child(
                    "userFeatures",
                    new UserFeatureEmbedding(
                            config.features().userFeatures().buckets(),
                            config.encoder().embeddingDim()),
                    hidden -> {
                        Shape slots = new Shape(hidden.get(0), 1);
                        return new Shape[] {slots, slots};
                    });
        }
    };

    private final int dim;
    private final Parameter table;

    /**
     * @param buckets table rows, row 0 being the empty slot's
     * @param dim model width {@code d}
     */
    public UserFeatureEmbedding(int buckets, int dim) {
        this.dim = dim;
        this.table = addParameter(Parameter.builder()
                .setName("table")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(buckets, dim))
                .optInitializer(new TruncatedNormalInitializer(0.02f))
                .build());
    }

    /**
     * @param ps parameter store
     * @param rows {@code [B, K]} int64 table rows
     * @param weights {@code [B, K]} float mean-pooling weights (cast to the table's type)
     * @return {@code [B, 1, d]}
     */
    public NDArray apply(ParameterStore ps, NDArray rows, NDArray weights) {
        NDArray t = ps.getValue(table, rows.getDevice(), false);
        NDArray embedded = Embedding.embedding(rows, t, SparseFormat.DENSE).singletonOrThrow(); // [B, K, d]
        NDArray w = weights.getDataType() == t.getDataType() ? weights : weights.toType(t.getDataType(), false);
        return w.expandDims(1).matMul(embedded);
    }

    @Override
    public String name() {
        return "user";
    }

    @Override
    public List<String> reads() {
        return List.of(PaddedSequences.USER_FEATURE_ROWS, PaddedSequences.USER_FEATURE_WEIGHTS);
    }

    /** @return one {@code [B, 1, d]} field, the same at every position */
    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        NDArray rows = inputs.get(PaddedSequences.USER_FEATURE_ROWS);
        NDArray weights = inputs.get(PaddedSequences.USER_FEATURE_WEIGHTS);
        if (rows == null || weights == null) {
            throw new IllegalArgumentException("model.features.userFeatures.slots > 0 needs the user-feature inputs"
                    + " (pack batches with PackedBatch.builder(denseDim, userFeatureSlots))");
        }
        return new NDList(apply(ps, rows, weights));
    }

    /** @return the {@code [buckets, d]} table parameter */
    public Parameter table() {
        return table;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1, dim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
