package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** Where and how reproducibly the model runs. */
@JsonDeserialize(using = SectionDeserializer.class)
public record RuntimeConfig(
        @Doc("cpu, gpu or gpu:N") String device,

        @Doc("seed of initialisation, dropout and negative sampling")
        long seed,

        @Doc("float16 forward and backward on copies of float32 master weights, with dynamic loss scaling (GPU);"
                + " needs optimizer.gradientAccumulationSteps=1")
        boolean mixedPrecision) {

    private static final RuntimeConfig DEFAULTS = new RuntimeConfig("cpu", 42L, false);

    /** @return the CPU, seed 42, float32 */
    public static RuntimeConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(
                problems,
                device != null && device.matches("cpu|gpu|gpu:\\d+"),
                "runtime.device",
                "must be \"cpu\", \"gpu\" or \"gpu:N\"",
                device);
    }
}
