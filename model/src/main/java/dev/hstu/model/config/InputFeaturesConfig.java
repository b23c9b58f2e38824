package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.hstu.model.modules.features.GenreEmbedding;
import dev.hstu.model.modules.features.ReleaseYearEmbedding;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What the input preprocessor sums into each event's embedding besides the item and its position. */
@JsonDeserialize(using = SectionDeserializer.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputFeaturesConfig(
        @Doc("the action bitmask's embedding") ActionFeaturesConfig actions,

        @Doc("add hour-of-week (UTC) and log1p(seconds since the previous event) embeddings")
        boolean time,

        @Doc("width of the per-event dense feature vector projected to d; 0: none, batches' dense features ignored")
        int denseDim,

        @Doc("feature id -> width of each fixed per-item embedding (attached with HstuModel.setMultimodalTables)"
                + " projected to d; empty: none")
        Map<Integer, Integer> multimodalDims,

        @Doc("hashed user-feature keys per sequence; absent: none, batches' user features ignored")
        UserFeaturesConfig userFeatures,

        @Doc("the mean embedding of each event's item genres (the genres column); absent: none")
        GenreEmbedding.Config genres,

        @Doc("a learned row for the release era of each event's item (the release_year column); absent: none")
        ReleaseYearEmbedding.Config releaseYear,

        @Doc("SENet gate over the feature fields; absent: plain sum")
        GatingConfig gating,

        @Doc("dropout rate on the summed input embeddings, as in the reference preprocessor")
        float inputDropout,

        @Doc("annealed item-ID embedding dropout during training; absent: none")
        IdDropoutConfig idDropout) {

    private static final InputFeaturesConfig DEFAULTS = new InputFeaturesConfig(
            ActionFeaturesConfig.defaults(), false, 0, Map.of(), null, null, null, null, 0.2f, null);

    /** Copies the map so that a config stays immutable and comparable by value. */
    public InputFeaturesConfig {
        actions = Objects.requireNonNullElseGet(actions, ActionFeaturesConfig::defaults);
        // not Map.copyOf: a null width must reach check() and its message
        multimodalDims =
                multimodalDims == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(multimodalDims));
    }

    /** @return item, position and action only, input dropout 0.2 */
    public static InputFeaturesConfig defaults() {
        return DEFAULTS;
    }

    /** @return user-feature slots per sequence, 0 without user features */
    public int userFeatureSlots() {
        return userFeatures == null ? 0 : userFeatures.slots();
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        actions.check(problems);
        Checks.require(problems, denseDim >= 0, "features.denseDim", "must be >= 0 (0 = no dense features)", denseDim);
        multimodalDims.forEach((id, width) -> {
            Checks.require(problems, id >= 1, "features.multimodalDims", "feature ids must be >= 1", multimodalDims);
            Checks.require(
                    problems,
                    width != null && width >= 1,
                    "features.multimodalDims",
                    "widths must be >= 1",
                    multimodalDims);
        });
        if (userFeatures != null) {
            userFeatures.check(problems);
        }
        if (genres != null) {
            genres.check(problems);
        }
        if (releaseYear != null) {
            releaseYear.check(problems);
        }
        if (gating != null) {
            gating.check(problems);
        }
        Checks.require(
                problems,
                inputDropout >= 0f && inputDropout < 1f,
                "features.inputDropout",
                "must be in [0, 1)",
                inputDropout);
        if (idDropout != null) {
            idDropout.check(problems);
        }
    }
}
