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
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.layers.ScalarOps;
import dev.hstu.model.layers.TimeBuckets;

/**
 * Turns item embeddings into the STU stack's input: {@code Dropout(item * sqrt(d) + position(p) +
 * action(a) [+ hourOfWeek(t) + gapToPrevious(t)])}, zero at padding.
 *
 * <p>Positions are absolute from the start of the (left-aligned) sequence, so an event's input
 * never depends on events after it. The action is the event's bitmask value, one learned row per
 * value in {@code [0, numActions)}. With {@code timeFeatures}, each event also gets one learned
 * row for its hour of the week (UTC weekday x hour, which carries both the hour-of-day and the
 * weekday signal) and one for the log-bucketed gap to the previous event (0 for the first): the
 * gap to the query time is per (query, key) pair and is the relative time bias's job, and an input
 * feature cannot carry it without making position {@code p} depend on later events.
 *
 * <p>With {@code denseFeatureDim > 0}, each event's dense feature vector is projected to {@code d}
 * by a learned linear layer ({@link DenseFeatureProjection}) and added too, before the dropout.
 *
 * <p>NDList contract: inputs {@code (itemEmbeddings [B,L,d], actions [B,L] int64, timestamps
 * [B,L] int64, hourOfWeek [B,L] int64, valid [B,L] float [, denseFeatures [B,L,denseFeatureDim]])},
 * output {@code ([B,L,d])}.
 */
public final class InputPreprocessor extends AbstractBlock {

    /** Rows of the hour-of-week table: 7 days x 24 hours. */
    public static final int HOURS_PER_WEEK = 7 * 24;

    private final float itemScale;
    private final float dropout;
    private final int timeBuckets;
    private final Parameter positionEmbedding;
    private final Parameter actionEmbedding;
    private final Parameter hourOfWeekEmbedding;
    private final Parameter gapEmbedding;
    private final DenseFeatureProjection denseProjection;

    /** @param config model configuration (validated) */
    public InputPreprocessor(HstuConfig config) {
        int dim = config.embeddingDim();
        this.itemScale = (float) Math.sqrt(dim);
        this.dropout = config.inputDropout();
        this.timeBuckets = config.timeBuckets();
        this.positionEmbedding = table("position", config.maxSeqLen(), dim);
        this.actionEmbedding = table("action", config.numActions(), dim);
        this.hourOfWeekEmbedding = config.timeFeatures() ? table("hourOfWeek", HOURS_PER_WEEK, dim) : null;
        this.gapEmbedding = config.timeFeatures() ? table("gapToPrevious", config.timeBuckets(), dim) : null;
        // a child block only when on, so models without dense features keep their parameter files
        this.denseProjection = config.denseFeatureDim() > 0
                ? addChildBlock("denseProjection", new DenseFeatureProjection(config.denseFeatureDim(), dim))
                : null;
    }

    private Parameter table(String name, int rows, int dim) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, dim)).optInitializer(new TruncatedNormalInitializer(0.02f)).build());
    }

    /**
     * @param ps parameter store
     * @param itemEmbeddings {@code [B, L, d]} raw item rows
     * @param actions {@code [B, L]} int64
     * @param timestamps {@code [B, L]} int64 seconds (any per-sequence origin)
     * @param hourOfWeek {@code [B, L]} int64 in {@code [0, 168)}; read only with {@code timeFeatures}
     * @param valid {@code [B, L]} 1 for events, 0 for padding, in the model's float type
     * @param training enables dropout
     * @return {@code [B, L, d]}
     */
    public NDArray apply(ParameterStore ps, NDArray itemEmbeddings, NDArray actions, NDArray timestamps, NDArray hourOfWeek,
            NDArray valid, boolean training) {
        return apply(ps, itemEmbeddings, actions, timestamps, hourOfWeek, valid, null, training);
    }

    /**
     * @param ps parameter store
     * @param itemEmbeddings {@code [B, L, d]} raw item rows
     * @param actions {@code [B, L]} int64
     * @param timestamps {@code [B, L]} int64 seconds (any per-sequence origin)
     * @param hourOfWeek {@code [B, L]} int64 in {@code [0, 168)}; read only with {@code timeFeatures}
     * @param valid {@code [B, L]} 1 for events, 0 for padding, in the model's float type
     * @param denseFeatures {@code [B, L, denseFeatureDim]}; read only with {@code denseFeatureDim >
     *     0}, where it is required
     * @param training enables dropout
     * @return {@code [B, L, d]}
     * @throws IllegalArgumentException if dense features are on and {@code denseFeatures} is null
     */
    public NDArray apply(ParameterStore ps, NDArray itemEmbeddings, NDArray actions, NDArray timestamps, NDArray hourOfWeek,
            NDArray valid, NDArray denseFeatures, boolean training) {
        long l = itemEmbeddings.getShape().get(1);
        NDArray positions = ps.getValue(positionEmbedding, itemEmbeddings.getDevice(), false).get(new NDIndex("0:" + l));
        NDArray x = ScalarOps.scale(itemEmbeddings, itemScale).add(positions).add(lookup(ps, actionEmbedding, actions));
        if (hourOfWeekEmbedding != null) {
            x = x.add(lookup(ps, hourOfWeekEmbedding, hourOfWeek))
                    .add(lookup(ps, gapEmbedding, TimeBuckets.of(gapToPrevious(timestamps), timeBuckets)));
        }
        if (denseProjection != null) {
            if (denseFeatures == null) {
                throw new IllegalArgumentException("model.denseFeatureDim=" + denseProjection.denseDim()
                        + " needs the denseFeatures input (pack batches with PackedBatch.builder(denseDim))");
            }
            x = x.add(denseProjection.apply(ps, denseFeatures));
        }
        if (training && dropout > 0f) {
            x = Dropout.dropout(x, dropout, true).singletonOrThrow();
        }
        return x.mul(valid.expandDims(2));
    }

    private static NDArray lookup(ParameterStore ps, Parameter table, NDArray indices) {
        return Embedding.embedding(indices, ps.getValue(table, indices.getDevice(), false), SparseFormat.DENSE).singletonOrThrow();
    }

    /** @return {@code [B, L]} int64 {@code t[p] - t[p-1]}, 0 at {@code p = 0} */
    private static NDArray gapToPrevious(NDArray timestamps) {
        long l = timestamps.getShape().get(1);
        NDArray shifted = l > 1
                ? timestamps.get(new NDIndex(":, 0:1")).concat(timestamps.get(new NDIndex(":, 0:" + (l - 1))), 1)
                : timestamps;
        return timestamps.sub(shifted);
    }

    /** @return whether this preprocessor adds the hour-of-week and gap embeddings */
    public boolean hasTimeFeatures() {
        return hourOfWeekEmbedding != null;
    }

    /** @return whether this preprocessor adds projected dense features */
    public boolean hasDenseFeatures() {
        return denseProjection != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray dense = inputs.size() > 5 ? inputs.get(5) : null;
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), inputs.get(4), dense, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (denseProjection != null) {
            Shape hidden = inputShapes[0];
            denseProjection.initialize(manager, dataType, new Shape(hidden.get(0), hidden.get(1), denseProjection.denseDim()));
        }
    }
}
