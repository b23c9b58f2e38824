package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.ops.ScalarOps;
import java.util.List;

/**
 * The item-ID embedding, scaled by {@code sqrt(d)} so that it is not drowned by the other
 * summands; the table itself is the encoder's, shared with scoring.
 */
public final class ItemFeature implements InputFeature {

    /** Always on. */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return true;
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            return new ItemFeature((float) Math.sqrt(config.encoder().embeddingDim()));
        }
    };

    private final float scale;

    private ItemFeature(float scale) {
        this.scale = scale;
    }

    @Override
    public String name() {
        return "item";
    }

    @Override
    public List<String> reads() {
        return List.of(FeatureInputs.ITEM_EMBEDDINGS);
    }

    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        return new NDList(ScalarOps.scale(
                inputs.require(FeatureInputs.ITEM_EMBEDDINGS, "the input needs the item-ID rows"), scale));
    }
}
