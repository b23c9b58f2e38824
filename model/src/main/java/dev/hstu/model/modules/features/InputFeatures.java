package dev.hstu.model.modules.features;

import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry of input features, in the order the preprocessor sums (and gates) them: a new
 * feature is a column, a module with its {@link InputFeature.Kind}, its config switch and an entry
 * here, appended so that older models' sums and gate fields stay as they were.
 */
public final class InputFeatures {

    /** Every kind of input feature, in field order. */
    public static final List<InputFeature.Kind> KINDS = List.of(
            ItemFeature.KIND,
            PositionFeature.KIND,
            ActionFeature.KIND,
            TimeFeatures.KIND,
            DenseFeatureProjection.KIND,
            MultimodalItemFeatures.KIND,
            UserFeatureEmbedding.KIND,
            GenreEmbedding.KIND,
            ReleaseYearEmbedding.KIND);

    private InputFeatures() {}

    /**
     * @param config model configuration
     * @return the kinds the config turns on, in field order
     */
    public static List<InputFeature.Kind> enabled(HstuConfig config) {
        return KINDS.stream().filter(k -> k.enabled(config)).toList();
    }

    /**
     * @param config model configuration
     * @return the batch columns beyond items, actions and timestamps the model reads
     */
    public static List<FeatureColumn> columns(HstuConfig config) {
        List<FeatureColumn> columns = new ArrayList<>();
        for (InputFeature.Kind kind : enabled(config)) {
            columns.addAll(kind.columns(config));
        }
        return columns;
    }
}
