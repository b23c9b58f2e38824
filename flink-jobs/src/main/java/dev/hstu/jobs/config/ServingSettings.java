package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The serving job.
 *
 * @param topK         items per recommendation list
 * @param excludeSeen  never recommend an item already in the user's kept history
 * @param refreshDelayMs a user whose history changed is re-scored at most this long after the change (sooner when a
 *                     new model version arrives, which re-scores every changed user in one batch)
 * @param filesDir     when set, every list is also written as JSON Lines under this directory (a path or URI),
 *                     committed at each checkpoint
 * @param embeddingsDir when set, every query embedding is also written under this local directory as {@code .fbin}
 *                     vectors with {@code id.u64bin} user ids, one pair per checkpoint and model version, revealed
 *                     when the checkpoint completes (see {@code dev.hstu.sink.EmbeddingFileSink})
 */
public record ServingSettings(
        @JsonProperty("topK") Integer topK,
        @JsonProperty("excludeSeen") Boolean excludeSeen,
        @JsonProperty("refreshDelayMs") Long refreshDelayMs,
        @JsonProperty("filesDir") String filesDir,
        @JsonProperty("embeddingsDir") String embeddingsDir)
        implements Serializable {

    public ServingSettings {
        topK = Objects.requireNonNullElse(topK, 10);
        excludeSeen = Objects.requireNonNullElse(excludeSeen, true);
        refreshDelayMs = Objects.requireNonNullElse(refreshDelayMs, 2_000L);
    }

    public static ServingSettings defaults() {
        return new ServingSettings(null, null, null, null, null);
    }

    /** The same settings writing list files under {@code dir}. */
    public ServingSettings withFilesDir(String dir) {
        return new ServingSettings(topK, excludeSeen, refreshDelayMs, dir, embeddingsDir);
    }

    /** The same settings writing embedding files under {@code dir}. */
    public ServingSettings withEmbeddingsDir(String dir) {
        return new ServingSettings(topK, excludeSeen, refreshDelayMs, filesDir, dir);
    }

    /** A convenience for tests and programs: no file output. */
    public ServingSettings(Integer topK, Boolean excludeSeen, Long refreshDelayMs) {
        this(topK, excludeSeen, refreshDelayMs, null, null);
    }

    void check(List<String> problems) {
        JobConfig.require(problems, topK > 0 && topK <= 1000, "serving.topK must be in [1, 1000], got " + topK);
        JobConfig.require(problems, refreshDelayMs >= 0, "serving.refreshDelayMs must be >= 0");
        JobConfig.require(
                problems,
                embeddingsDir == null || !embeddingsDir.contains("://") || embeddingsDir.startsWith("file:"),
                "serving.embeddingsDir must be a local path, got '" + embeddingsDir + "'");
    }
}
