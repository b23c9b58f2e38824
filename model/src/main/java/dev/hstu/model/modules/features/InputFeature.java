package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.io.ItemSideColumn;
import java.util.List;

/**
 * One summand of the STU stack's input (item, position, action, time, dense, multimodal, user):
 * the {@link InputPreprocessor} sums the fields of its features in registration order ({@link
 * InputFeatures}), or weighs them with {@link FeatureGating} first.
 */
public interface InputFeature {

    /** @return the feature's name, for errors and listings */
    String name();

    /** @return the names of the {@link FeatureInputs} tensors it reads */
    List<String> reads();

    /** @return how many fields it contributes to the gate (one unless it splits, like multimodal) */
    default int fieldCount() {
        return 1;
    }

    /**
     * @param ps parameter store
     * @param inputs every input tensor
     * @return its {@link #fieldCount()} fields, {@code [B, L, d]} or broadcastable to it
     */
    NDList fields(ParameterStore ps, FeatureInputs inputs);

    /**
     * Adds this feature to the running sum.
     *
     * @param ps parameter store
     * @param inputs every input tensor
     * @param sum the sum of the features before this one; null for the first feature
     * @return the new sum
     */
    default NDArray addTo(ParameterStore ps, FeatureInputs inputs, NDArray sum) {
        NDArray x = sum;
        for (NDArray field : fields(ps, inputs)) {
            x = x == null ? field : x.add(field);
        }
        return x;
    }

    /** How a feature is switched on by the config and built onto the preprocessor. */
    interface Kind {

        /**
         * @param config model configuration
         * @return whether the config turns the feature on
         */
        boolean enabled(HstuConfig config);

        /**
         * @param config model configuration
         * @return the batch columns beyond items, actions and timestamps the feature reads,
         *     which a {@code PackedBatch} must carry for the model
         */
        default List<FeatureColumn> columns(HstuConfig config) {
            return List.of();
        }

        /**
         * @param config model configuration
         * @return those of its {@link #columns} that hold a property of the event's item, read from a side file
         *     offline (the loader fills them by item, so a new item-side feature needs no change to the commands)
         */
        default List<ItemSideColumn> sideColumns(HstuConfig config) {
            return List.of();
        }

        /**
         * @param config model configuration
         * @param registrar where the feature's parameters and blocks are registered
         * @return the feature
         */
        InputFeature create(HstuConfig config, FeatureRegistrar registrar);
    }
}
