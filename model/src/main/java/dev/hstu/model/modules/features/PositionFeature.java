package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PaddedSequences;
import java.util.List;

/**
 * One learned row per absolute position from the start of the (left-aligned) sequence, so an
 * event's input never depends on events after it. In a ranking batch every candidate takes the
 * first candidate's row ({@code PaddedSequences.POSITIONS}), so a candidate's input does not
 * depend on the candidates before it.
 */
public final class PositionFeature implements InputFeature {

    /** Always on. */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return true;
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            return new PositionFeature(
                    registrar.table("position", config.encoder().maxSeqLen()));
        }
    };

    private final Parameter table;

    private PositionFeature(Parameter table) {
        this.table = table;
    }

    @Override
    public String name() {
        return "position";
    }

    @Override
    public List<String> reads() {
        return List.of(FeatureInputs.ITEM_EMBEDDINGS);
    }

    /** @return one {@code [L, d]} field, broadcast over the batch ({@code [B, L, d]} for a ranking batch) */
    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        NDArray items = inputs.require(FeatureInputs.ITEM_EMBEDDINGS, "positions need the item-ID rows");
        NDArray positions = inputs.get(PaddedSequences.POSITIONS);
        if (positions != null) {
            return new NDList(TableLookup.lookup(ps, table, positions));
        }
        long l = items.getShape().get(1);
        return new NDList(ps.getValue(table, items.getDevice(), false).get(new NDIndex("0:" + l)));
    }
}
