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
 * @param streamSeconds 0: the events are all in the topic before the jobs start; N > 0: they are sent in time order
 *                      spread evenly over about N seconds while the jobs run, the first training pass following them
 *                      as they come, so the lists serving emits meanwhile are a test-then-train (prequential) measure
 * @param warmupShare with {@code streamSeconds > 0}, the share of the events, oldest first, in the topic before the
 *                    jobs start; {@code warmupPasses} passes train on them before the rest is sent, so the live part
 *                    is served by a model that has seen the past, as a deployed one would have
 * @param warmupPasses passes over the warm-up part before the rest of the stream is sent
 */
public record DemoSettings(
        @JsonProperty("ratingsCsv") String ratingsCsv,
        @JsonProperty("outputDir") String outputDir,
        @JsonProperty("clickRating") Double clickRating,
        @JsonProperty("timeoutSeconds") Integer timeoutSeconds,
        @JsonProperty("trainingPasses") Integer trainingPasses,
        @JsonProperty("streamSeconds") Integer streamSeconds,
        @JsonProperty("warmupShare") Double warmupShare,
        @JsonProperty("warmupPasses") Integer warmupPasses)
        implements Serializable {

    public DemoSettings {
        ratingsCsv = Objects.requireNonNullElse(ratingsCsv, "data/ml-latest-small/ratings.csv");
        outputDir = Objects.requireNonNullElse(outputDir, "target/hstu/demo");
        clickRating = Objects.requireNonNullElse(clickRating, 4.0);
        timeoutSeconds = Objects.requireNonNullElse(timeoutSeconds, 1200);
        trainingPasses = Objects.requireNonNullElse(trainingPasses, 6);
        streamSeconds = Objects.requireNonNullElse(streamSeconds, 60);
        warmupShare = Objects.requireNonNullElse(warmupShare, 0.5);
        warmupPasses = Objects.requireNonNullElse(warmupPasses, 4);
    }

    public static DemoSettings defaults() {
        return new DemoSettings(null, null, null, null, null, null, null, null);
    }
}
