package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** The item embedding table. */
@JsonDeserialize(using = SectionDeserializer.class)
public record ItemTableConfig(
        @Doc("rows of the item table, including the reserved rows 0 (padding) and 1 (out-of-vocabulary)")
        int capacity) {

    private static final ItemTableConfig DEFAULTS = new ItemTableConfig(65_536);

    /** @return 65,536 rows */
    public static ItemTableConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, capacity >= 3, "items.capacity", "must be >= 3 (rows 0 and 1 are reserved)", capacity);
    }
}
