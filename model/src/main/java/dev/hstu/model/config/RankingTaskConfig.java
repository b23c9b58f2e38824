package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One head of the ranking tower (generative-recommenders' task config: name, {@code task_bitmask}, loss type).
 *
 * @param name the task's name in metrics and scores
 * @param bitmask a BCE task's label is 1 when the candidate's action bitmask has any of these bits
 * @param type BCE or MSE
 * @param weight the task's weight in the summed loss
 * @param labelColumn an MSE task's label: the per-event float column of this name; null for a BCE task
 */
@JsonDeserialize(using = SectionDeserializer.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RankingTaskConfig(
        @Doc("the task's name in metrics and scores") String name,

        @Doc("label = 1 when the candidate's action has any of these bits (BCE)")
        int bitmask,

        @Doc("BCE or MSE") RankingLossType type,
        @Doc("weight in the summed loss") float weight,

        @Doc("MSE only: the per-event float column holding the label")
        String labelColumn) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final RankingTaskConfig DEFAULTS = new RankingTaskConfig("click", 1, RankingLossType.BCE, 1f, null);

    /** @return a BCE task named click on bit value 1 */
    public static RankingTaskConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @param name task name
     * @param bitmask label bits
     * @return a BCE task of weight 1
     */
    public static RankingTaskConfig bce(String name, int bitmask) {
        return new RankingTaskConfig(name, bitmask, RankingLossType.BCE, 1f, null);
    }

    /**
     * @param action a candidate's action bitmask
     * @return whether a BCE task labels it positive
     */
    public boolean positive(int action) {
        return (action & bitmask) != 0;
    }

    /**
     * @param problems where each invalid setting is reported
     * @param key this task's key, e.g. {@code ranking.tasks[0]}
     */
    public void check(List<String> problems, String key) {
        Checks.require(
                problems,
                name != null && NAME.matcher(name).matches(),
                key + ".name",
                "must be 1-32 of [A-Za-z0-9_]",
                name);
        Checks.require(problems, type != null, key + ".type", "must be BCE or MSE", type);
        Checks.require(
                problems,
                type != RankingLossType.BCE || bitmask >= 1,
                key + ".bitmask",
                "must be >= 1 for a BCE task",
                bitmask);
        Checks.require(
                problems,
                type != RankingLossType.MSE || labelColumn != null,
                key + ".labelColumn",
                "must name a per-event float column for an MSE task",
                labelColumn);
        Checks.require(problems, weight >= 0f && Float.isFinite(weight), key + ".weight", "must be >= 0", weight);
    }
}
