package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.hstu.model.config.ActionEncoding;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn;
import java.util.List;

/**
 * The event's action: one learned row per bitmask value in {@code [0, numActions)}, or with
 * {@code actionEncoder = BITS} a weighted sum of one row per set bit ({@link ActionBitEncoder}).
 */
public final class ActionFeature implements InputFeature {

    /** Always on. */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return true;
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            if (config.features().actions().encoding() == ActionEncoding.BITS) {
                return new ActionFeature(
                        null,
                        registrar.child(
                                "actionBits",
                                new ActionBitEncoder(
                                        config.features().actions(),
                                        config.encoder().embeddingDim()),
                                hidden -> new Shape[] {new Shape(hidden.get(0), hidden.get(1))}));
            }
            return new ActionFeature(
                    registrar.table("action", config.features().actions().numActions()), null);
        }
    };

    private final Parameter table;
    private final ActionBitEncoder bits;

    private ActionFeature(Parameter table, ActionBitEncoder bits) {
        this.table = table;
        this.bits = bits;
    }

    @Override
    public String name() {
        return "action";
    }

    @Override
    public List<String> reads() {
        return List.of(FeatureColumn.ACTIONS);
    }

    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        NDArray actions = inputs.require(FeatureColumn.ACTIONS, "the input needs the actions");
        return new NDList(bits != null ? bits.apply(ps, actions) : TableLookup.lookup(ps, table, actions));
    }
}
