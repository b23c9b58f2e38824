package dev.hstu.model.tasks;

/**
 * The negatives' state that outlives a training step, saved with a trainer's checkpoint; retrieval keeps it (and
 * Match will), ranking samples nothing.
 *
 * @param recentTargets the popularity window, oldest first; null when not kept (and in checkpoints written before
 *     it existed)
 * @param hardNegatives the hard-negative cache, oldest first; null without one
 */
public record SamplingState(long[] recentTargets, long[] hardNegatives) {

    /** No state. */
    public static final SamplingState NONE = new SamplingState(null, null);
}
