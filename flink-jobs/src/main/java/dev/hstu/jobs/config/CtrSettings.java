package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hstu.ctr.ActionWeights;
import dev.hstu.ctr.BucketQuantiles;
import dev.hstu.ctr.CtrChannels;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.DecayPolicy;
import dev.hstu.ctr.PriorSpec;
import dev.hstu.ctr.cli.DurationText;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The user/item CTR features that the training and serving jobs attach to every event (see
 * {@link CtrChannels}), computed in RocksDB state with the same definitions as {@code hstu ctr}.
 *
 * @param enabled           attach the CTR channels; the model must then take them ({@code model.features.denseDim}
 *                          equal to {@link CtrChannels#COUNT})
 * @param actionWeights     {@code bit=weight} pairs of the action bits that count as engagement; the other bits
 *                          that {@code validation.actionBits} allows count as exposures only
 * @param halfLife          decay of the counts in event time ({@code none}, {@code 30d}, ...)
 * @param prior             {@code auto} (fitted to the population) or a fixed {@code a,b}
 * @param kClip             clip of the auto prior's strength, {@code min,max}
 * @param bucketQuantiles   popularity quantiles separating hot and cold keys
 * @param populationFlushMs how often (processing time) each subtask sends its population changes to the
 *                          aggregator that fits the prior; 0 sends one per event
 */
public record CtrSettings(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("actionWeights") String actionWeights,
        @JsonProperty("halfLife") String halfLife,
        @JsonProperty("prior") String prior,
        @JsonProperty("kClip") String kClip,
        @JsonProperty("bucketQuantiles") String bucketQuantiles,
        @JsonProperty("populationFlushMs") Long populationFlushMs)
        implements Serializable {

    public CtrSettings {
        enabled = Objects.requireNonNullElse(enabled, false);
        actionWeights = Objects.requireNonNullElse(actionWeights, "0=1");
        halfLife = Objects.requireNonNullElse(halfLife, "none");
        prior = Objects.requireNonNullElse(prior, "auto");
        kClip = Objects.requireNonNullElse(kClip, "10,10000");
        bucketQuantiles = Objects.requireNonNullElse(bucketQuantiles, "0.8");
        populationFlushMs = Objects.requireNonNullElse(populationFlushMs, 1000L);
    }

    public static CtrSettings defaults() {
        return new CtrSettings(null, null, null, null, null, null, null);
    }

    /** Dense features per event these settings attach: {@link CtrChannels#COUNT} when enabled, else 0. */
    public int channels() {
        return enabled ? CtrChannels.COUNT : 0;
    }

    /**
     * The CTR definition, for events whose actions have at most {@code actionBits} bits.
     *
     * @param stateTtl TTL of the per-key counts (the jobs' {@code flink.stateTtlHours})
     * @throws IllegalArgumentException naming the setting that cannot be parsed
     */
    public CtrConfig toCtrConfig(int actionBits, Duration stateTtl) {
        return CtrConfig.defaults()
                .withActionWeights(actionWeights(actionBits))
                .withDecay(DecayPolicy.halfLife(parse("ctr.halfLife", () -> DurationText.parse(halfLife))))
                .withPrior(parse("ctr.prior / ctr.kClip", () -> PriorSpec.parse(prior, kClip)))
                .withBucketQuantiles(parse("ctr.bucketQuantiles", () -> BucketQuantiles.parse(bucketQuantiles)))
                .withStateTtl(stateTtl);
    }

    private ActionWeights actionWeights(int actionBits) {
        ActionWeights listed = parse("ctr.actionWeights", () -> ActionWeights.parse(actionWeights));
        Map<Integer, Double> all = new LinkedHashMap<>();
        for (int bit = 0; bit < actionBits; bit++) {
            all.put(bit, 0.0);
        }
        for (Map.Entry<Integer, Double> e : listed.asMap().entrySet()) {
            if (e.getKey() >= actionBits) {
                throw new IllegalArgumentException("ctr.actionWeights names bit " + e.getKey()
                        + ", but validation.actionBits=" + actionBits + " lets no event carry it");
            }
            all.put(e.getKey(), e.getValue());
        }
        return ActionWeights.of(all);
    }

    void check(List<String> problems, int actionBits, int denseFeatureDim) {
        JobConfig.require(
                problems, populationFlushMs >= 0, "ctr.populationFlushMs must be >= 0, got " + populationFlushMs);
        try {
            toCtrConfig(actionBits, Duration.ofDays(1));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        JobConfig.require(
                problems,
                denseFeatureDim == channels(),
                enabled
                        ? "ctr.enabled attaches " + CtrChannels.COUNT + " CTR channels to every event: set model."
                                + "features.denseDim=" + CtrChannels.COUNT + " (it is " + denseFeatureDim + ")"
                        : "model.features.denseDim=" + denseFeatureDim
                                + " needs dense features per event, and the jobs "
                                + "attach them only with ctr.enabled=true (then model.features.denseDim="
                                + CtrChannels.COUNT
                                + ")");
    }

    private static <T> T parse(String setting, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }
}
