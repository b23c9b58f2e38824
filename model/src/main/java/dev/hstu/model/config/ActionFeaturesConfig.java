package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** How an event's action bitmask becomes part of its input embedding. */
@JsonDeserialize(using = SectionDeserializer.class)
public record ActionFeaturesConfig(
        @Doc("size of the action-bitmask space; an action is an integer in [0, numActions)")
        int numActions,

        @Doc("VALUE: one learned row per bitmask value; BITS: a weighted sum of one learned row per set bit")
        ActionEncoding encoding,

        @Doc("with encoding BITS, the weight of each bit's row, lowest bit first; empty weighs every bit 1")
        List<Float> bitWeights) {

    private static final ActionFeaturesConfig DEFAULTS = new ActionFeaturesConfig(16, ActionEncoding.VALUE, List.of());

    /** Copies the weights so that a config stays immutable and comparable by value. */
    public ActionFeaturesConfig {
        // not List.copyOf: a null element must reach check() and its message
        bitWeights = bitWeights == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(bitWeights));
    }

    /** @return 16 actions, one row per value */
    public static ActionFeaturesConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @return bits of an action bitmask: every action is below {@code numActions}, so {@code ceil(log2(numActions))},
     *     at least 1
     */
    public int bits() {
        return Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(numActions - 1));
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, numActions >= 1, "features.actions.numActions", "must be >= 1", numActions);
        Checks.require(problems, encoding != null, "features.actions.encoding", "must be VALUE or BITS", encoding);
        if (bitWeights.isEmpty()) {
            return;
        }
        String key = "features.actions.bitWeights";
        Checks.require(
                problems,
                encoding == ActionEncoding.BITS,
                key,
                "only applies with encoding=BITS (the VALUE encoder has no per-bit rows)",
                bitWeights);
        if (numActions >= 1) {
            Checks.require(
                    problems,
                    bitWeights.size() == bits(),
                    key,
                    "must hold one weight per action bit (numActions=" + numActions + " has " + bits() + " bits)",
                    bitWeights);
        }
        Checks.require(
                problems,
                bitWeights.stream().allMatch(w -> w != null && Float.isFinite(w)),
                key,
                "must all be finite numbers",
                bitWeights);
    }
}
