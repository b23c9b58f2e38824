package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hstu.model.train.TrainerSettings;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The in-job trainer.
 *
 * @param batchSize          sequences per micro-batch (one optimiser step each)
 * @param publishEverySteps  a model version is published after this many steps (and at the end of bounded input)
 * @param publishEveryMs     ... or when this much time has passed since the last version, whichever comes first
 * @param modelDir           where versions are written; must be shared with the serving job (a path on one host,
 *                           a shared volume or mount in a cluster)
 * @param keepVersions       older versions beyond this many are deleted
 * @param targets            {@code all}: every position of a sent sequence is a next-item target, HSTU's generative
 *                           training, so an interaction is trained about {@code maxLength / trainingStride} times
 *                           as its window slides; {@code new}: only the positions new since the user's last sequence,
 *                           so every interaction is trained exactly once
 * @param warmStart          a job that starts without checkpoint state continues from the newest version in
 *                           {@code modelDir} (weights, optimiser state, step, item vocabulary) instead of a fresh model
 * @param mode               {@code in-job}: the training job trains (parallelism 1 operator); {@code topic}: it packs
 *                           micro-batches onto the training-batches topic for a standalone {@code hstu trainer}
 *                           (e.g. on a GPU host)
 * @param batchMaxDelayMs    in topic mode, a micro-batch is sent when full or this long after its first sequence
 * @param maxSkippedSteps    after this many consecutive steps with a non-finite loss or gradient (each skipped, the
 *                           model unchanged), the trainer rolls back to the newest published version
 * @param shuffleBuffer      in-job: sequences held before a step, each step drawing {@code batchSize} of them at
 *                           random; a stream in event time brings one user's windows in runs (a median batch of 64
 *                           on MovieLens holds 8 users), so drawing from a larger pool mixes users as an epoch's
 *                           shuffle would; {@code batchSize} or less: each step trains the sequences in arrival order
 */
public record TrainingSettings(
        @JsonProperty("batchSize") Integer batchSize,
        @JsonProperty("publishEverySteps") Integer publishEverySteps,
        @JsonProperty("publishEveryMs") Long publishEveryMs,
        @JsonProperty("modelDir") String modelDir,
        @JsonProperty("keepVersions") Integer keepVersions,
        @JsonProperty("targets") String targets,
        @JsonProperty("warmStart") Boolean warmStart,
        @JsonProperty("mode") String mode,
        @JsonProperty("batchMaxDelayMs") Long batchMaxDelayMs,
        @JsonProperty("maxSkippedSteps") Integer maxSkippedSteps,
        @JsonProperty("shuffleBuffer") Integer shuffleBuffer)
        implements Serializable {

    public TrainingSettings {
        batchSize = Objects.requireNonNullElse(batchSize, 64);
        publishEverySteps = Objects.requireNonNullElse(publishEverySteps, 50);
        publishEveryMs = Objects.requireNonNullElse(publishEveryMs, 30_000L);
        modelDir = Objects.requireNonNullElse(modelDir, "target/hstu/models");
        keepVersions = Objects.requireNonNullElse(keepVersions, 3);
        targets = Objects.requireNonNullElse(targets, "all");
        warmStart = Objects.requireNonNullElse(warmStart, true);
        mode = Objects.requireNonNullElse(mode, "in-job");
        batchMaxDelayMs = Objects.requireNonNullElse(batchMaxDelayMs, 2_000L);
        maxSkippedSteps = Objects.requireNonNullElse(maxSkippedSteps, 5);
        shuffleBuffer = Objects.requireNonNullElse(shuffleBuffer, 2048);
    }

    /** Sequences the in-job trainer holds before a step: at least one batch. */
    public int bufferedSequences() {
        return Math.max(batchSize, shuffleBuffer);
    }

    /** True when the training job hands micro-batches to a standalone trainer through Kafka. */
    public boolean viaTopic() {
        return mode.equals("topic");
    }

    /** True when every position of a sequence is trained, not only the new ones. */
    public boolean trainAllPositions() {
        return targets.equals("all");
    }

    /** @return what the trainer itself reads of these settings */
    public TrainerSettings trainer() {
        return new TrainerSettings(
                Path.of(modelDir),
                publishEverySteps,
                publishEveryMs,
                keepVersions,
                trainAllPositions(),
                warmStart,
                maxSkippedSteps);
    }

    /** The same settings writing versions to {@code dir}. */
    public TrainingSettings withModelDir(String dir) {
        return new TrainingSettings(
                batchSize,
                publishEverySteps,
                publishEveryMs,
                dir,
                keepVersions,
                targets,
                warmStart,
                mode,
                batchMaxDelayMs,
                maxSkippedSteps,
                shuffleBuffer);
    }

    public static TrainingSettings defaults() {
        return new TrainingSettings(null, null, null, null, null, null, null, null, null, null, null);
    }

    void check(List<String> problems) {
        JobConfig.require(problems, batchSize > 0, "training.batchSize must be > 0, got " + batchSize);
        JobConfig.require(
                problems, publishEverySteps > 0, "training.publishEverySteps must be > 0, got " + publishEverySteps);
        JobConfig.require(problems, publishEveryMs > 0, "training.publishEveryMs must be > 0");
        JobConfig.require(problems, !modelDir.isBlank(), "training.modelDir must not be blank");
        JobConfig.require(problems, keepVersions >= 1, "training.keepVersions must be >= 1, got " + keepVersions);
        JobConfig.require(
                problems,
                mode.equals("in-job") || mode.equals("topic"),
                "training.mode must be in-job or topic, got '" + mode + "'");
        JobConfig.require(problems, batchMaxDelayMs > 0, "training.batchMaxDelayMs must be > 0");
        JobConfig.require(
                problems, maxSkippedSteps >= 1, "training.maxSkippedSteps must be >= 1, got " + maxSkippedSteps);
        JobConfig.require(problems, shuffleBuffer >= 0, "training.shuffleBuffer must be >= 0, got " + shuffleBuffer);
        JobConfig.require(
                problems,
                targets.equals("all") || targets.equals("new"),
                "training.targets must be all or new, got '" + targets + "'");
    }
}
