package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hstu.model.ops.LinearParameters;
import dev.hstu.model.ops.ScalarOps;

/**
 * SENet feature gating (as in FiBiNET): weighs each of {@code F} input fields by a gate computed
 * from all of them, then sums them. Per event: squeeze each field to its mean over {@code d},
 * {@code z [F]}; excite {@code g = 2 * sigmoid(W2 relu(W1 z + b1) + b2)}; output {@code sum_f g_f *
 * field_f}.
 *
 * <p>The gate is twice a sigmoid so that an untrained gate weighs each field about 1, as the plain
 * sum did: a sigmoid alone would start by halving the input the residual stream carries.
 *
 * <p>NDList contract: inputs {@code F} fields {@code [B,L,d]} each, output {@code ([B,L,d])}.
 */
public final class FeatureGating extends AbstractBlock {

    private final int fields;
    private final int hidden;
    private final Parameter squeezeWeight;
    private final Parameter squeezeBias;
    private final Parameter exciteWeight;
    private final Parameter exciteBias;

    /**
     * @param fields fields gated ({@code >= 1})
     * @param reduction squeeze ratio {@code r}: the hidden layer has {@code max(1, fields / r)} units
     */
    public FeatureGating(int fields, int reduction) {
        if (fields < 1 || reduction < 1) {
            throw new IllegalArgumentException(
                    "fields and reduction must be >= 1, got " + fields + " and " + reduction);
        }
        this.fields = fields;
        this.hidden = Math.max(1, fields / reduction);
        this.squeezeWeight = weight("squeezeWeight", hidden, fields);
        this.squeezeBias = bias("squeezeBias", hidden);
        this.exciteWeight = weight("exciteWeight", fields, hidden);
        this.exciteBias = bias("exciteBias", fields);
    }

    private Parameter weight(String name, int rows, int cols) {
        return addParameter(LinearParameters.weight(name, rows, cols));
    }

    private Parameter bias(String name, int size) {
        return addParameter(LinearParameters.bias(name, size));
    }

    /**
     * @param ps parameter store
     * @param fieldValues the {@code F} fields, {@code [B, L, d]} each, in a fixed order
     * @return {@code [B, L, d]} the gated sum
     */
    public NDArray apply(ParameterStore ps, NDList fieldValues) {
        if (fieldValues.size() != fields) {
            throw new IllegalArgumentException(
                    "the gate was built for " + fields + " fields, got " + fieldValues.size());
        }
        NDArray stacked = NDArrays.stack(fieldValues, 2); // [B, L, F, d]
        return gates(ps, stacked).expandDims(2).matMul(stacked).squeeze(2);
    }

    /**
     * @param ps parameter store
     * @param stacked {@code [B, L, F, d]}
     * @return {@code [B, L, F]} the weight of each field, in {@code (0, 2)}
     */
    public NDArray gates(ParameterStore ps, NDArray stacked) {
        NDArray squeezed = stacked.mean(new int[] {3});
        NDArray h = Activation.relu(
                Linear.linear(squeezed, value(ps, squeezeWeight, stacked), value(ps, squeezeBias, stacked))
                        .singletonOrThrow());
        NDArray excited = Linear.linear(h, value(ps, exciteWeight, stacked), value(ps, exciteBias, stacked))
                .singletonOrThrow();
        return ScalarOps.scale(Activation.sigmoid(excited), 2.0);
    }

    private static NDArray value(ParameterStore ps, Parameter p, NDArray like) {
        return ps.getValue(p, like.getDevice(), false);
    }

    /** @return fields gated */
    public int fields() {
        return fields;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
