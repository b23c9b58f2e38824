package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** Sparse user-feature keys each sequence carries; their mean embedding is added to every position. */
@JsonDeserialize(using = SectionDeserializer.class)
public record UserFeaturesConfig(
        @Doc("keys per sequence (empty slots allowed)") int slots,

        @Doc("rows of the hashed user-feature table (row 0 is the empty slot)")
        int buckets) {

    private static final UserFeaturesConfig DEFAULTS = new UserFeaturesConfig(8, 100_000);

    /** @return 8 slots into 100,000 rows */
    public static UserFeaturesConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, slots >= 1, "features.userFeatures.slots", "must be >= 1", slots);
        Checks.require(
                problems,
                buckets >= 2,
                "features.userFeatures.buckets",
                "must be >= 2 (row 0 is the empty slot)",
                buckets);
    }
}
