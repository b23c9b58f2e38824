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
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.ops.LinearParameters;
import java.util.List;
import java.util.Map;

/**
 * Projects each item's fixed multimodal embeddings (one per configured feature id) to the model
 * width with one learned linear map per feature: {@code y_f = m_f(item) W_f^T + b_f}.
 *
 * <p>The embeddings themselves are attached {@code [itemCapacity, width]} tables ({@code
 * MultimodalItemTables}), not parameters: they are data from files, neither trained nor saved with
 * the model, and a loaded model needs them attached again. Per feature and step: one gather of the
 * events' rows and one linear map. Concatenating the features' rows to run a single linear map
 * would save a few ops but copy {@code B x L x (sum of widths)} floats, thousands per event with the
 * seed's features.
 *
 * <p>NDList contract: input {@code (items [B,L] int64)}, output {@code ([B,L,d])}, the sum.
 */
public final class MultimodalItemFeatures extends AbstractBlock implements InputFeature {

    /** On with {@code multimodalDims}; reads the item rows, by which the tables are looked up. */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return !config.features().multimodalDims().isEmpty();
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            return registrar.child(
                    "multimodal",
                    new MultimodalItemFeatures(
                            config.features().multimodalDims(), config.encoder().embeddingDim()),
                    hidden -> new Shape[] {new Shape(hidden.get(0), hidden.get(1))});
        }
    };

    private final int dim;
    private final int[] widths;
    private final Parameter[] weights;
    private final Parameter[] biases;
    private final Map<Integer, Integer> dims;
    private NDList tables;

    /**
     * @param dims feature id to width, iterated in the order of the attached tables
     * @param dim model width {@code d}
     */
    public MultimodalItemFeatures(Map<Integer, Integer> dims, int dim) {
        if (dims.isEmpty()) {
            throw new IllegalArgumentException("need at least one multimodal feature");
        }
        this.dim = dim;
        this.dims = dims;
        this.widths = new int[dims.size()];
        this.weights = new Parameter[dims.size()];
        this.biases = new Parameter[dims.size()];
        int f = 0;
        for (Map.Entry<Integer, Integer> e : dims.entrySet()) {
            widths[f] = e.getValue();
            weights[f] = addParameter(LinearParameters.weight("weight" + e.getKey(), dim, e.getValue()));
            biases[f] = addParameter(LinearParameters.bias("bias" + e.getKey(), dim));
            f++;
        }
    }

    /**
     * Replaces the fixed embeddings the projections read. The caller keeps ownership of the arrays
     * (and closes them after replacing them).
     *
     * @param itemTables one {@code [itemCapacity, width]} float table per feature, in ascending
     *     feature id order, on the model's device
     * @throws IllegalArgumentException if their number or widths differ from the features'
     */
    public void attach(NDList itemTables) {
        if (itemTables.size() != widths.length) {
            throw new IllegalArgumentException(
                    "need one multimodal table per feature of " + dims + ", got " + itemTables.size());
        }
        for (int f = 0; f < widths.length; f++) {
            Shape shape = itemTables.get(f).getShape();
            if (shape.dimension() != 2 || shape.get(1) != widths[f]) {
                throw new IllegalArgumentException("multimodal table " + f + " must be [itemCapacity, " + widths[f]
                        + "] for widths " + dims + ", got " + shape);
            }
        }
        this.tables = itemTables;
    }

    @Override
    public String name() {
        return "multimodal";
    }

    @Override
    public List<String> reads() {
        return List.of(FeatureColumn.ITEMS);
    }

    /** @return one field per multimodal feature */
    @Override
    public int fieldCount() {
        return weights.length;
    }

    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        return applyPerFeature(ps, items(inputs));
    }

    /** Adds the features' sum, not each in turn, so that the ungated input stays as it was. */
    @Override
    public NDArray addTo(ParameterStore ps, FeatureInputs inputs, NDArray sum) {
        return sum.add(apply(ps, items(inputs)));
    }

    private static NDArray items(FeatureInputs inputs) {
        return inputs.require(
                FeatureColumn.ITEMS, "model.multimodalDims needs the item rows input (encode PaddedSequences)");
    }

    /**
     * @param ps parameter store
     * @param items {@code [B, L]} int64 item rows
     * @return {@code [B, L, d]} the sum of every feature's projection
     */
    public NDArray apply(ParameterStore ps, NDArray items) {
        NDList projections = applyPerFeature(ps, items);
        NDArray sum = projections.get(0);
        for (int f = 1; f < projections.size(); f++) {
            sum = sum.add(projections.get(f));
        }
        return sum;
    }

    /**
     * @param ps parameter store
     * @param items {@code [B, L]} int64 item rows
     * @return one {@code [B, L, d]} projection per feature, in ascending feature id order: the
     *     fields a gate weighs separately
     * @throws IllegalStateException if no tables are attached
     */
    public NDList applyPerFeature(ParameterStore ps, NDArray items) {
        if (tables == null) {
            throw new IllegalStateException(
                    "model.features.multimodalDims=" + dims + " needs the fixed item embeddings: load them into"
                            + " MultimodalItemTables and call HstuModel.setMultimodalTables before encoding");
        }
        NDList out = new NDList(weights.length);
        for (int f = 0; f < weights.length; f++) {
            NDArray w = ps.getValue(weights[f], items.getDevice(), false);
            NDArray rows = Embedding.embedding(items, tables.get(f), SparseFormat.DENSE)
                    .singletonOrThrow();
            // the tables stay float32; a float16 (mixed precision) or float64 pass needs the weights' type
            NDArray typed = rows.getDataType() == w.getDataType() ? rows : rows.toType(w.getDataType(), false);
            out.add(Linear.linear(typed, w, ps.getValue(biases[f], items.getDevice(), false))
                    .singletonOrThrow());
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(dim))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
