package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.Objects;

/**
 * The {@code hstu demo} run.
 *
 * @param ratingsCsv MovieLens-format ratings (userId,movieId,rating,timestamp); relative paths are resolved against
 *                   the working directory
 * @param outputDir  where the demo writes its summary, recommendations and dead letters as JSONL
 * @param clickRating a rating at or above this counts as a click (action 1), below as an exposure (action 0)
 * @param timeoutSeconds the demo gives up (with a clear message) if the jobs have not finished by then
 * @param trainingPasses the training job replays the topic this many times, each pass warm-starting from the
 *                       previous pass's final version (epochs, the streaming way)
 */
public record DemoSettings(
        @JsonProperty("ratingsCsv") String ratingsCsv,
        @JsonProperty("outputDir") String outputDir,
        @JsonProperty("clickRating") Double clickRating,
        @JsonProperty("timeoutSeconds") Integer timeoutSeconds,
        @JsonProperty("trainingPasses") Integer trainingPasses)
        implements Serializable {

    public DemoSettings {
        ratingsCsv = Objects.requireNonNullElse(ratingsCsv, "data/ml-latest-small/ratings.csv");
        outputDir = Objects.requireNonNullElse(outputDir, "target/hstu/demo");
        clickRating = Objects.requireNonNullElse(clickRating, 4.0);
        timeoutSeconds = Objects.requireNonNullElse(timeoutSeconds, 1200);
        trainingPasses = Objects.requireNonNullElse(trainingPasses, 6);
    }

    public static DemoSettings defaults() {
        return new DemoSettings(null, null, null, null, null);
    }
}
