package dev.hstu.model.train;

import java.nio.file.Path;

/**
 * What a streaming trainer reads of its job's training settings: where versions go, how often, and how it
 * trains and recovers. The jobs' configuration checks the values before they get here.
 *
 * @param modelDir where versions are published (shared with the serving side)
 * @param publishEverySteps a version is due after this many steps
 * @param publishEveryMs ... or after this much time with at least one step
 * @param keepVersions older versions beyond this many are deleted
 * @param trainAllPositions every position of a sequence is a next-item target, not only the new ones
 * @param warmStart without a snapshot, continue from the newest published version instead of a fresh model
 * @param maxSkippedSteps after this many consecutive non-finite steps, roll back to the newest version
 */
public record TrainerSettings(
        Path modelDir,
        int publishEverySteps,
        long publishEveryMs,
        int keepVersions,
        boolean trainAllPositions,
        boolean warmStart,
        int maxSkippedSteps) {}
