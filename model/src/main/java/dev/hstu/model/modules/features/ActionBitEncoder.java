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
import dev.hstu.model.config.ActionFeaturesConfig;
import java.util.List;

/**
 * Embeds an action bitmask as {@code sum_j bit_j(a) * w_j * e_j}: one learned row {@code e_j} per
 * action bit, each scaled by its configured weight {@code w_j} (the {@code BITS} action encoding).
 *
 * <p>Rather than exploding every event's bits, each step first builds the {@code [numActions, d]}
 * table of every bitmask's embedding with one matrix product of the constant {@code bit_j(a) *
 * w_j} matrix and the bit rows, then looks the events up in it: two ops whatever the batch size,
 * and the gradient still reaches only the rows of the bits that were set.
 *
 * <p>NDList contract: input {@code (actions [B,L] int64)}, output {@code ([B,L,d])}.
 */
public final class ActionBitEncoder extends AbstractBlock {

    private final int numActions;
    private final int bits;
    private final int dim;
    /** {@code [numActions, bits]} row-major: {@code bit_j(a) * w_j}. */
    private final float[] weightedBits;

    private final Parameter bitEmbedding;

    /**
     * @param actions the action features (validated)
     * @param dim model width {@code d}
     */
    public ActionBitEncoder(ActionFeaturesConfig actions, int dim) {
        this(actions.numActions(), actions.bits(), actions.bitWeights(), dim);
    }

    /**
     * @param numActions bitmask values {@code [0, numActions)}
     * @param bits bits of a bitmask
     * @param bitWeights one weight per bit, lowest first; empty weighs every bit 1
     * @param dim model width {@code d}
     */
    public ActionBitEncoder(int numActions, int bits, List<Float> bitWeights, int dim) {
        if (!bitWeights.isEmpty() && bitWeights.size() != bits) {
            throw new IllegalArgumentException("need one weight per action bit (" + bits + "), got " + bitWeights);
        }
        this.numActions = numActions;
        this.bits = bits;
        this.dim = dim;
        this.weightedBits = new float[numActions * bits];
        for (int a = 0; a < numActions; a++) {
            for (int j = 0; j < bits; j++) {
                float weight = bitWeights.isEmpty() ? 1f : bitWeights.get(j);
                weightedBits[a * bits + j] = ((a >>> j) & 1) * weight;
            }
        }
        this.bitEmbedding = addParameter(Parameter.builder()
                .setName("bitEmbedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(bits, dim))
                .optInitializer(new TruncatedNormalInitializer(0.02f))
                .build());
    }

    /**
     * @param ps parameter store
     * @param actions {@code [B, L]} int64 bitmasks in {@code [0, numActions)}
     * @return {@code [B, L, d]}
     */
    public NDArray apply(ParameterStore ps, NDArray actions) {
        NDArray rows = ps.getValue(bitEmbedding, actions.getDevice(), false);
        NDArray weights = actions.getManager()
                .create(weightedBits, new Shape(numActions, bits))
                .toType(rows.getDataType(), false);
        NDArray table = weights.matMul(rows);
        return Embedding.embedding(actions, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** @return the {@code [bits, d]} parameter of the per-bit rows */
    public Parameter bitEmbedding() {
        return bitEmbedding;
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
