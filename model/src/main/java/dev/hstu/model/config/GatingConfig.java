package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** A learned SENet gate that reweights the input's feature fields before they are summed. */
@JsonDeserialize(using = SectionDeserializer.class)
public record GatingConfig(
        @Doc("squeeze ratio r: the gate's hidden layer has max(1, fields / r) units")
        int reduction) {

    private static final GatingConfig DEFAULTS = new GatingConfig(2);

    /** @return reduction 2 */
    public static GatingConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, reduction >= 1, "features.gating.reduction", "must be >= 1", reduction);
    }
}
