package dev.hstu.model.config;

import java.util.List;

/** The one wording of a configuration problem: {@code model.<key> <rule>, got <value>}. */
final class Checks {

    private Checks() {}

    static void require(List<String> problems, boolean ok, String key, String rule, Object value) {
        if (!ok) {
            problems.add("model." + key + " " + rule + ", got " + value);
        }
    }
}
