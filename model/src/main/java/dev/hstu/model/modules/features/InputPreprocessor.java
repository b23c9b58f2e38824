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
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import dev.hstu.model.config.ActionEncoding;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.modules.positional.TimeBuckets;
import dev.hstu.model.ops.ScalarOps;

/**
 * Turns item embeddings into the STU stack's input: {@code Dropout(item * sqrt(d) + position(p) +
 * action(a) [+ hourOfWeek(t) + gapToPrevious(t)] [+ dense] [+ multimodal] [+ user])}, zero at
 * padding.
 *
 * <p>Positions are absolute from the start of the (left-aligned) sequence, so an event's input
 * never depends on events after it. The action is the event's bitmask value, one learned row per
 * value in {@code [0, numActions)}, or with {@code actionEncoder = BITS} a weighted sum of one row
 * per set bit ({@link ActionBitEncoder}). With {@code timeFeatures}, each event also gets one
 * learned row for its hour of the week (UTC weekday x hour, which carries both the hour-of-day and
 * the weekday signal) and one for the log-bucketed gap to the previous event (0 for the first):
 * the gap to the query time is per (query, key) pair and is the relative time bias's job, and an
 * input feature cannot carry it without making position {@code p} depend on later events.
 *
 * <p>With {@code denseFeatureDim > 0}, each event's dense feature vector is projected to {@code d}
 * by a learned linear layer ({@link DenseFeatureProjection}) and added too, before the dropout.
 * With {@code multimodalDims}, so is each of the item's fixed multimodal embeddings, projected
 * per feature ({@link MultimodalItemFeatures}). With {@code userFeatureSlots > 0}, the mean
 * embedding of the sequence's user-feature keys ({@link UserFeatureEmbedding}) is added to every
 * position: a context token prepended instead would shift every position, target and causal mask
 * by one, while a per-sequence constant keeps the causality argument above intact (it depends on
 * no event at all).
 *
 * <p>With {@code featureGating}, the summands are the fields of a SENet gate ({@link
 * FeatureGating}) that weighs them per event before summing, in the order item, position, action,
 * hour of week, gap, dense, each multimodal feature, user.
 *
 * <p>NDList contract: inputs {@code (itemEmbeddings [B,L,d], actions [B,L] int64, timestamps
 * [B,L] int64, hourOfWeek [B,L] int64, valid [B,L] float [, denseFeatures [B,L,denseFeatureDim]]
 * [, items [B,L] int64] [, userFeatureRows [B,K] int64, userFeatureWeights [B,K] float])}, each
 * bracketed group present exactly when the config turns its feature on; output {@code ([B,L,d])}.
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
    private final ActionBitEncoder actionBits;
    private final MultimodalItemFeatures multimodal;
    private final UserFeatureEmbedding userFeatures;
    private final FeatureGating gating;

    /** @param config model configuration (validated) */
    public InputPreprocessor(HstuConfig config) {
        int dim = config.embeddingDim();
        boolean bits = config.actionEncoder() == ActionEncoding.BITS;
        this.itemScale = (float) Math.sqrt(dim);
        this.dropout = config.inputDropout();
        this.timeBuckets = config.timeBuckets();
        this.positionEmbedding = table("position", config.maxSeqLen(), dim);
        this.actionEmbedding = bits ? null : table("action", config.numActions(), dim);
        this.hourOfWeekEmbedding = config.timeFeatures() ? table("hourOfWeek", HOURS_PER_WEEK, dim) : null;
        this.gapEmbedding = config.timeFeatures() ? table("gapToPrevious", config.timeBuckets(), dim) : null;
        // a child block only when on, so models without the feature keep their parameter files
        this.denseProjection = config.denseFeatureDim() > 0
                ? addChildBlock("denseProjection", new DenseFeatureProjection(config.denseFeatureDim(), dim))
                : null;
        this.actionBits = bits ? addChildBlock("actionBits", new ActionBitEncoder(config)) : null;
        this.multimodal = config.multimodalDims().isEmpty()
                ? null
                : addChildBlock("multimodal", new MultimodalItemFeatures(config.multimodalDims(), dim));
        this.userFeatures = config.userFeatureSlots() > 0
                ? addChildBlock("userFeatures", new UserFeatureEmbedding(config.userFeatureBuckets(), dim))
                : null;
        this.gating = config.featureGating()
                ? addChildBlock("gating", new FeatureGating(fieldCount(config), config.gatingReduction()))
                : null;
    }

    /**
     * @param config model configuration
     * @return the fields the input sums (or gates): item, position, action, then each optional one
     */
    public static int fieldCount(HstuConfig config) {
        return 3
                + (config.timeFeatures() ? 2 : 0)
                + (config.denseFeatureDim() > 0 ? 1 : 0)
                + config.multimodalDims().size()
                + (config.userFeatureSlots() > 0 ? 1 : 0);
    }

    private Parameter table(String name, int rows, int dim) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, dim))
                .optInitializer(new TruncatedNormalInitializer(0.02f))
                .build());
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
    public NDArray apply(
            ParameterStore ps,
            NDArray itemEmbeddings,
            NDArray actions,
            NDArray timestamps,
            NDArray hourOfWeek,
            NDArray valid,
            boolean training) {
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
    public NDArray apply(
            ParameterStore ps,
            NDArray itemEmbeddings,
            NDArray actions,
            NDArray timestamps,
            NDArray hourOfWeek,
            NDArray valid,
            NDArray denseFeatures,
            boolean training) {
        return apply(
                ps,
                itemEmbeddings,
                new InputFeatures(null, actions, timestamps, hourOfWeek, denseFeatures, null, null),
                valid,
                training);
    }

    /**
     * @param ps parameter store
     * @param itemEmbeddings {@code [B, L, d]} raw item rows
     * @param inputs the other inputs; those of features the config turns on are required
     * @param valid {@code [B, L]} 1 for events, 0 for padding, in the model's float type
     * @param training enables dropout
     * @return {@code [B, L, d]}
     * @throws IllegalArgumentException if an input the config turns on is null
     */
    public NDArray apply(
            ParameterStore ps, NDArray itemEmbeddings, InputFeatures inputs, NDArray valid, boolean training) {
        long l = itemEmbeddings.getShape().get(1);
        NDArray positions = ps.getValue(positionEmbedding, itemEmbeddings.getDevice(), false)
                .get(new NDIndex("0:" + l));
        NDArray x = gating != null
                ? gatedSum(ps, itemEmbeddings, positions, inputs)
                : sum(ps, itemEmbeddings, positions, inputs);
        if (training && dropout > 0f) {
            x = Dropout.dropout(x, dropout, true).singletonOrThrow();
        }
        return x.mul(valid.expandDims(2));
    }

    /** The ungated input, added in the order the features were introduced so older models' sums are bit-identical. */
    private NDArray sum(ParameterStore ps, NDArray itemEmbeddings, NDArray positions, InputFeatures in) {
        NDArray x = ScalarOps.scale(itemEmbeddings, itemScale).add(positions).add(action(ps, in.actions()));
        if (hourOfWeekEmbedding != null) {
            x = x.add(lookup(ps, hourOfWeekEmbedding, in.hourOfWeek())).add(gap(ps, in.timestamps()));
        }
        if (denseProjection != null) {
            x = x.add(denseProjection.apply(ps, dense(in)));
        }
        if (multimodal != null) {
            x = x.add(multimodal.apply(ps, items(in)));
        }
        if (userFeatures != null) {
            x = x.add(user(ps, in));
        }
        return x;
    }

    private NDArray gatedSum(ParameterStore ps, NDArray itemEmbeddings, NDArray positions, InputFeatures in) {
        Shape shape = itemEmbeddings.getShape();
        NDList fields = new NDList(gating.fields());
        fields.add(ScalarOps.scale(itemEmbeddings, itemScale));
        fields.add(positions.broadcast(shape));
        fields.add(action(ps, in.actions()));
        if (hourOfWeekEmbedding != null) {
            fields.add(lookup(ps, hourOfWeekEmbedding, in.hourOfWeek()));
            fields.add(gap(ps, in.timestamps()));
        }
        if (denseProjection != null) {
            fields.add(denseProjection.apply(ps, dense(in)));
        }
        if (multimodal != null) {
            fields.addAll(multimodal.applyPerFeature(ps, items(in)));
        }
        if (userFeatures != null) {
            fields.add(user(ps, in).broadcast(shape));
        }
        return gating.apply(ps, fields);
    }

    private NDArray action(ParameterStore ps, NDArray actions) {
        return actionBits != null ? actionBits.apply(ps, actions) : lookup(ps, actionEmbedding, actions);
    }

    private NDArray gap(ParameterStore ps, NDArray timestamps) {
        return lookup(ps, gapEmbedding, TimeBuckets.of(gapToPrevious(timestamps), timeBuckets));
    }

    private NDArray dense(InputFeatures in) {
        if (in.denseFeatures() == null) {
            throw new IllegalArgumentException("model.denseFeatureDim=" + denseProjection.denseDim()
                    + " needs the denseFeatures input (pack batches with PackedBatch.builder(denseDim))");
        }
        return in.denseFeatures();
    }

    private static NDArray items(InputFeatures in) {
        if (in.items() == null) {
            throw new IllegalArgumentException(
                    "model.multimodalDims needs the item rows input (encode PaddedSequences)");
        }
        return in.items();
    }

    private NDArray user(ParameterStore ps, InputFeatures in) {
        if (in.userFeatureRows() == null || in.userFeatureWeights() == null) {
            throw new IllegalArgumentException("model.userFeatureSlots > 0 needs the user-feature inputs"
                    + " (pack batches with PackedBatch.builder(denseDim, userFeatureSlots))");
        }
        return userFeatures.apply(ps, in.userFeatureRows(), in.userFeatureWeights());
    }

    private static NDArray lookup(ParameterStore ps, Parameter table, NDArray indices) {
        return Embedding.embedding(indices, ps.getValue(table, indices.getDevice(), false), SparseFormat.DENSE)
                .singletonOrThrow();
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

    /**
     * @return the projections of the fixed multimodal item embeddings, where their table is attached
     * @throws IllegalStateException if the config has no {@code multimodalDims}
     */
    public MultimodalItemFeatures multimodal() {
        if (multimodal == null) {
            throw new IllegalStateException("model.multimodalDims is empty: the model has no multimodal item features");
        }
        return multimodal;
    }

    /** @return the SENet gate over the input fields, or null without {@code featureGating} */
    public FeatureGating gating() {
        return gating;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int next = 5;
        NDArray dense = null;
        NDArray items = null;
        NDArray userRows = null;
        NDArray userWeights = null;
        if (denseProjection != null) {
            dense = optional(inputs, next++);
        }
        if (multimodal != null) {
            items = optional(inputs, next++);
        }
        if (userFeatures != null) {
            userRows = optional(inputs, next++);
            userWeights = optional(inputs, next);
        }
        InputFeatures in =
                new InputFeatures(items, inputs.get(1), inputs.get(2), inputs.get(3), dense, userRows, userWeights);
        return new NDList(apply(ps, inputs.get(0), in, inputs.get(4), training));
    }

    private static NDArray optional(NDList inputs, int index) {
        return index < inputs.size() ? inputs.get(index) : null;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // every child's parameter shapes come from the config; the input shapes are only recorded
        Shape hidden = inputShapes[0];
        Shape events = new Shape(hidden.get(0), hidden.get(1));
        if (denseProjection != null) {
            denseProjection.initialize(
                    manager, dataType, new Shape(hidden.get(0), hidden.get(1), denseProjection.denseDim()));
        }
        if (actionBits != null) {
            actionBits.initialize(manager, dataType, events);
        }
        if (multimodal != null) {
            multimodal.initialize(manager, dataType, events);
        }
        if (userFeatures != null) {
            Shape slots = new Shape(hidden.get(0), 1);
            userFeatures.initialize(manager, dataType, slots, slots);
        }
        if (gating != null) {
            gating.initialize(manager, dataType, hidden);
        }
    }
}
