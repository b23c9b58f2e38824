package dev.hstu.model.tasks;

import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.tasks.match.MatchTask;
import dev.hstu.model.tasks.ranking.RankingTask;
import dev.hstu.model.tasks.retrieval.RetrievalTask;

/** The one place a config picks its model's {@link Task}: a new task is one more line here. */
public final class Tasks {

    private Tasks() {}

    /**
     * @param config the model's config (validated)
     * @return ranking when the config has a {@code ranking} section, Match when it has a {@code match} section, else
     *     retrieval
     */
    public static Task create(HstuConfig config) {
        if (config.ranking() != null) {
            return new RankingTask(config);
        }
        if (config.match() != null) {
            return new MatchTask(config);
        }
        return new RetrievalTask(config);
    }
}
