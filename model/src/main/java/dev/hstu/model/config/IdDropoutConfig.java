package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * Item-ID dropout: a share of events has its item-ID embedding row zeroed (kept rows scaled by {@code 1/(1-rate)}),
 * the share decaying linearly from {@code start} at step 0 to 0 after {@code annealSteps} optimiser steps.
 */
@JsonDeserialize(using = SectionDeserializer.class)
public record IdDropoutConfig(
        @Doc("share of events whose item-ID row is zeroed at step 0")
        float start,

        @Doc("optimiser steps over which the share decays to 0")
        long annealSteps) {

    private static final IdDropoutConfig DEFAULTS = new IdDropoutConfig(0.1f, 1_000L);

    /** @return 10% decaying over 1,000 steps */
    public static IdDropoutConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, start > 0f && start < 1f, "features.idDropout.start", "must be in (0, 1)", start);
        Checks.require(problems, annealSteps >= 1, "features.idDropout.annealSteps", "must be >= 1", annealSteps);
    }
}
