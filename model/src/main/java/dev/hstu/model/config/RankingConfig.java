package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The DLRM-HSTU ranking task (generative-recommenders' {@code DlrmHSTU}): candidates appended after each history as
 * targets, a fusion tower (per hidden layer: linear, layer norm, SiLU gate) and one head per task. Present, it
 * replaces retrieval as the model's task.
 *
 * @param tasks the heads, in output order
 * @param hiddenUnits widths of the tower's hidden layers
 * @param layerNorm whether each hidden layer gates by {@code sigmoid(LayerNorm(x))} (the reference's SwishLayerNorm)
 *     or by {@code sigmoid(x)} (plain SiLU)
 */
@JsonDeserialize(using = SectionDeserializer.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RankingConfig(
        @Doc("the heads: name, label bitmask, BCE or MSE, weight (and an MSE task's labelColumn)")
        List<RankingTaskConfig> tasks,

        @Doc("widths of the fusion tower's hidden layers") List<Integer> hiddenUnits,

        @Doc("hidden layers gate by sigmoid(LayerNorm(x)) (SwishLayerNorm); false: plain SiLU")
        boolean layerNorm) {

    private static final RankingConfig DEFAULTS = new RankingConfig(
            List.of(RankingTaskConfig.bce("click", 1), RankingTaskConfig.bce("like", 2)), List.of(128), true);

    /** Copies the lists so that a config stays immutable and comparable by value. */
    public RankingConfig {
        // not List.copyOf: a null element must reach check() and its message
        tasks = tasks == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tasks));
        hiddenUnits = hiddenUnits == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(hiddenUnits));
    }

    /** @return click (bit value 1) and like (bit value 2), one hidden layer of 128 with layer norm */
    public static RankingConfig defaults() {
        return DEFAULTS;
    }

    /** @return the union of the BCE tasks' bitmasks: a candidate's action may only have these bits */
    public int labelBits() {
        int bits = 0;
        for (RankingTaskConfig task : tasks) {
            if (task != null && task.type() == RankingLossType.BCE) {
                bits |= task.bitmask();
            }
        }
        return bits;
    }

    /**
     * @param problems where each invalid setting is reported
     * @param numActions the action space: every task's bits must fit it
     */
    public void check(List<String> problems, int numActions) {
        Checks.require(problems, !tasks.isEmpty(), "ranking.tasks", "must hold at least one task", tasks);
        Set<String> names = new HashSet<>();
        for (int t = 0; t < tasks.size(); t++) {
            RankingTaskConfig task = tasks.get(t);
            String key = "ranking.tasks[" + t + "]";
            if (task == null) {
                Checks.require(problems, false, key, "must not be null", null);
                continue;
            }
            task.check(problems, key);
            Checks.require(
                    problems, task.name() == null || names.add(task.name()), key + ".name", "is taken", task.name());
            Checks.require(
                    problems,
                    task.type() != RankingLossType.BCE || task.bitmask() < numActions,
                    key + ".bitmask",
                    "must be below features.actions.numActions=" + numActions,
                    task.bitmask());
        }
        Checks.require(
                problems,
                hiddenUnits.stream().allMatch(n -> n != null && n >= 1),
                "ranking.hiddenUnits",
                "must all be >= 1",
                hiddenUnits);
    }
}
