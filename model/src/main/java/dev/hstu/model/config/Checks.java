package dev.hstu.model.config;

import java.util.List;

/** The one wording of a configuration problem: {@code model.<key> <rule>, got <value>}. */
public final class Checks {

    private Checks() {}

    /**
     * @param problems where a problem is added
     * @param ok whether the setting is valid
     * @param key the dotted key without {@code model.}
     * @param rule what a valid value is
     * @param value the value found
     */
    public static void require(List<String> problems, boolean ok, String key, String rule, Object value) {
        if (!ok) {
            problems.add("model." + key + " " + rule + ", got " + value);
        }
    }
}
