package dev.hstu.model.tasks.retrieval;

import dev.hstu.model.config.HardNegativesConfig;
import dev.hstu.model.config.NegativeSampling;
import dev.hstu.model.config.RankPackageConfig;
import dev.hstu.model.config.RetrievalConfig;
import dev.hstu.model.data.PackedBatch;
import java.util.SplittableRandom;

/**
 * Where a training step's sampled negatives come from, as the config switches them on: shared candidates
 * (in-batch, sampled, and cached hard negatives of past steps) and each target's rank package; with {@code
 * negativeSampling=ALL} it draws nothing (every item is a negative) and keeps no state.
 * Holds the state that outlives a step (recent-target popularity, the hard-negative cache), which
 * the trainer saves with its checkpoint.
 */
public final class NegativeSources {

    /**
     * @param candidates negatives shared by all targets: in-batch, sampled, then cached hard ones
     * @param rankPackage each target's own negatives; null without {@code rankPackageCounts}
     */
    public record Draw(Candidates candidates, RankPackage rankPackage) {}

    private final TargetPopularity popularity;
    private final CandidateSampler sampler;
    private final RankPackageSampler rankPackage;
    private final HardNegativeCache hardNegatives;
    private final int hardNegativesPerStep;

    /**
     * @param task the sampling, rank-package and cache settings (validated)
     * @param itemCapacity rows of the item table
     */
    public NegativeSources(RetrievalConfig task, int itemCapacity) {
        boolean popularitySampling = task.negativeSampling() == NegativeSampling.POPULARITY;
        RankPackageConfig pack = task.rankPackage();
        // the rank package reads item popularity even when the sampled negatives are uniform
        this.popularity =
                popularitySampling || pack != null ? new TargetPopularity(task.popularityWindow(), itemCapacity) : null;
        this.sampler = task.negativeSampling() == NegativeSampling.ALL
                ? null
                : new CandidateSampler(
                        task.inBatchNegatives(), task.numNegatives(), task.negativeSampling(), popularity);
        this.rankPackage = pack != null ? new RankPackageSampler(pack.counts(), pack.hotShare(), popularity) : null;
        HardNegativesConfig hard = task.hardNegatives();
        this.hardNegatives = hard != null ? new HardNegativeCache(hard.cacheSize()) : null;
        this.hardNegativesPerStep = hard != null ? hard.perStep() : 0;
    }

    /**
     * Draws a step's negatives; records its targets as recent ones first (when popularity is kept).
     *
     * @param batch the step's batch
     * @param targets its targets
     * @param itemRowsInUse random items come from rows {@code [2, itemRowsInUse)}
     * @param random the step's generator (seeded per step for reproducible resumes)
     * @param withLogQ compute the shared candidates' log expected counts
     * @return the shared candidates and the rank package
     * @throws IllegalStateException with {@code negativeSampling=ALL}, which draws nothing
     */
    public Draw draw(
            PackedBatch batch, TrainingTargets targets, int itemRowsInUse, SplittableRandom random, boolean withLogQ) {
        if (sampler == null) {
            throw new IllegalStateException("model.task.negativeSampling=ALL draws no negatives: every item is one");
        }
        long[] cached =
                hardNegatives == null ? CandidateSampler.NO_ITEMS : hardNegatives.sample(hardNegativesPerStep, random);
        Candidates candidates = sampler.draw(targets.positives(), itemRowsInUse, random, withLogQ, cached);
        RankPackage pkg = rankPackage == null ? null : rankPackage.draw(batch, targets, itemRowsInUse, random);
        return new Draw(candidates, pkg);
    }

    /** @return whether {@link #offerHardest} keeps anything (the loss then reports how hard each candidate was) */
    public boolean cachesHardNegatives() {
        return hardNegatives != null;
    }

    /**
     * Caches the step's hardest shared candidates; does nothing without a cache.
     *
     * @param candidateIds the step's shared candidates
     * @param hardness per candidate, its highest score as a negative
     */
    public void offerHardest(long[] candidateIds, float[] hardness) {
        if (hardNegatives != null) {
            hardNegatives.offerHardest(candidateIds, hardness, hardNegativesPerStep);
        }
    }

    /** @return recent targets, oldest first, for a checkpoint; null when popularity is not kept */
    public long[] recentTargets() {
        return popularity == null ? null : popularity.snapshot();
    }

    /** @return cached hard negatives, oldest first, for a checkpoint; null without a cache */
    public long[] cachedHardNegatives() {
        return hardNegatives == null ? null : hardNegatives.snapshot();
    }

    /**
     * Restores what a checkpoint saved; either may be null (not kept, or saved before it existed).
     *
     * @param recentTargets {@link #recentTargets()} of the saved trainer
     * @param cachedHardNegatives {@link #cachedHardNegatives()} of the saved trainer
     */
    public void restore(long[] recentTargets, long[] cachedHardNegatives) {
        if (popularity != null && recentTargets != null) {
            popularity.record(recentTargets);
        }
        if (hardNegatives != null && cachedHardNegatives != null) {
            for (long item : cachedHardNegatives) {
                hardNegatives.offer(item);
            }
        }
    }
}
