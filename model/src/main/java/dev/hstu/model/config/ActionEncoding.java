package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How the input preprocessor turns an event's action bitmask into an embedding. */
public enum ActionEncoding {
    /** One learned row per bitmask value: every combination of actions is its own category. */
    VALUE,
    /**
     * One learned row per action bit, summed over the bits set in the event's bitmask, each scaled
     * by its configured weight (as tzrec's action encoder explodes the bitmask): a combination
     * shares what its actions have in common, and a rare combination is not an untrained row.
     */
    BITS;

    /**
     * Accepts any letter case, so a config may say {@code "bits"}.
     *
     * @param name the JSON value
     * @return the encoding
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static ActionEncoding parse(String name) {
        for (ActionEncoding e : values()) {
            if (e.name().equals(name.toUpperCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("model.features.actions.encoding must be VALUE or BITS, got " + name);
    }
}
