package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** A cache of the hardest shared negatives of past steps (saved with the trainer's checkpoint). */
@JsonDeserialize(using = SectionDeserializer.class)
public record HardNegativesConfig(
        @Doc("items kept in the cache") int cacheSize,

        @Doc("items taken from the cache into each step's shared negatives, and hardest negatives put into it")
        int perStep) {

    private static final HardNegativesConfig DEFAULTS = new HardNegativesConfig(1024, 32);

    /** @return 32 of 1,024 cached items per step */
    public static HardNegativesConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, cacheSize >= 1, "task.hardNegatives.cacheSize", "must be >= 1", cacheSize);
        Checks.require(
                problems,
                perStep >= 1 && perStep <= cacheSize,
                "task.hardNegatives.perStep",
                "must be in [1, cacheSize=" + cacheSize + "]",
                perStep);
    }
}
