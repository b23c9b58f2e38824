package dev.hstu.model.tasks.retrieval;

import dev.hstu.model.config.NegativeSampling;
import dev.hstu.model.data.ItemVocabulary;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Picks the negatives shared by all targets of one step: up to {@code inBatch} positives of other
 * targets (popularity-distributed, chosen uniformly among the batch's targets) followed by {@code
 * sampled} items drawn uniformly from the rows in use or, with {@link NegativeSampling#POPULARITY},
 * in proportion to their recent frequency as targets.
 *
 * <p>Sampling all in-batch positives would make the logits {@code T x T}; a capped subset keeps a
 * step linear in the number of targets. Candidates equal to a target's own positive are masked by
 * the loss, not removed here.
 *
 * <p>A caller may add items of its own after these (e.g. cached hard negatives); each such item
 * counts once towards the expected counts of the logQ correction.
 */
public final class CandidateSampler {

    /** No added candidates. */
    public static final long[] NO_ITEMS = new long[0];

    private final int inBatch;
    private final int sampled;
    private final NegativeSampling sampling;
    private final TargetPopularity popularity;

    /**
     * Uniform sampling.
     *
     * @param inBatch maximum in-batch negatives
     * @param uniform uniform negatives
     */
    public CandidateSampler(int inBatch, int uniform) {
        this(inBatch, uniform, NegativeSampling.UNIFORM, null);
    }

    /**
     * @param inBatch maximum in-batch negatives
     * @param sampled sampled negatives
     * @param sampling where the sampled negatives come from
     * @param popularity recent targets; required for {@link NegativeSampling#POPULARITY}
     */
    public CandidateSampler(int inBatch, int sampled, NegativeSampling sampling, TargetPopularity popularity) {
        if (sampling == NegativeSampling.ALL) {
            throw new IllegalArgumentException(
                    "model.task.negativeSampling=ALL samples nothing: every item is a negative (FullSoftmaxLoss)");
        }
        if (sampling == NegativeSampling.POPULARITY && popularity == null) {
            throw new IllegalArgumentException("model.task.negativeSampling=POPULARITY needs a TargetPopularity");
        }
        this.inBatch = inBatch;
        this.sampled = sampled;
        this.sampling = sampling;
        this.popularity = popularity;
    }

    /**
     * @param positives the batch's target items
     * @param itemRowsInUse uniform negatives come from rows {@code [2, itemRowsInUse)}
     * @param random the step's generator (seeded per step for reproducible resumes)
     * @return candidate items
     */
    public long[] sample(long[] positives, int itemRowsInUse, SplittableRandom random) {
        return draw(positives, itemRowsInUse, random).ids();
    }

    /**
     * Draws the candidates and their expected counts. With popularity sampling, {@code positives}
     * are recorded as recent targets first, so the first step has a distribution to draw from.
     *
     * @param positives the batch's target items
     * @param itemRowsInUse uniform negatives come from rows {@code [2, itemRowsInUse)}
     * @param random the step's generator (seeded per step for reproducible resumes)
     * @return candidates with their log expected counts
     */
    public Candidates draw(long[] positives, int itemRowsInUse, SplittableRandom random) {
        return draw(positives, itemRowsInUse, random, true);
    }

    /**
     * Like {@link #draw(long[], int, SplittableRandom)}; without {@code withLogQ} the expected
     * counts are not computed and {@link Candidates#logExpectedCount()} is null.
     *
     * @param positives the batch's target items
     * @param itemRowsInUse uniform negatives come from rows {@code [2, itemRowsInUse)}
     * @param random the step's generator (seeded per step for reproducible resumes)
     * @param withLogQ compute the log expected counts (for the logQ correction)
     * @return candidates, with their log expected counts when asked for
     */
    public Candidates draw(long[] positives, int itemRowsInUse, SplittableRandom random, boolean withLogQ) {
        return draw(positives, itemRowsInUse, random, withLogQ, NO_ITEMS);
    }

    /**
     * Like {@link #draw(long[], int, SplittableRandom, boolean)}, with {@code added} items appended
     * after the sampled ones.
     *
     * @param positives the batch's target items
     * @param itemRowsInUse uniform negatives come from rows {@code [2, itemRowsInUse)}
     * @param random the step's generator (seeded per step for reproducible resumes)
     * @param withLogQ compute the log expected counts (for the logQ correction)
     * @param added items that are candidates for certain, each adding 1 to its item's expected count
     * @return candidates: in-batch, sampled, then added
     */
    public Candidates draw(
            long[] positives, int itemRowsInUse, SplittableRandom random, boolean withLogQ, long[] added) {
        if (popularity != null) {
            popularity.record(positives);
        }
        int fromBatch = Math.min(inBatch, positives.length);
        int span = itemRowsInUse - ItemVocabulary.FIRST_ITEM;
        int fromSampler = sampling == NegativeSampling.POPULARITY || span > 0 ? sampled : 0;
        long[] out = new long[fromBatch + fromSampler + added.length];
        pickInBatch(positives, fromBatch, out, random);
        for (int i = 0; i < fromSampler; i++) {
            out[fromBatch + i] = sampling == NegativeSampling.POPULARITY
                    ? popularity.draw(random)
                    : ItemVocabulary.FIRST_ITEM + random.nextInt(span);
        }
        System.arraycopy(added, 0, out, fromBatch + fromSampler, added.length);
        return new Candidates(
                out, withLogQ ? logExpectedCounts(out, positives, fromBatch, fromSampler, span, added) : null);
    }

    private static void pickInBatch(long[] positives, int fromBatch, long[] out, SplittableRandom random) {
        if (fromBatch == positives.length) {
            System.arraycopy(positives, 0, out, 0, fromBatch);
            return;
        }
        // Partial Fisher-Yates over target indices: a uniform subset without replacement.
        int[] order = new int[positives.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = 0; i < fromBatch; i++) {
            int j = i + random.nextInt(order.length - i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
            out[i] = positives[order[i]];
        }
    }

    /**
     * Expected occurrences of each candidate's item among all candidates: {@code k * c/T} from
     * {@code k} in-batch picks out of {@code T} targets of which {@code c} are the item, plus
     * {@code n * q} from {@code n} sampled draws of probability {@code q} each, plus 1 per added copy.
     */
    private float[] logExpectedCounts(
            long[] candidates, long[] positives, int fromBatch, int fromSampler, int span, long[] added) {
        Map<Long, Integer> inBatchCounts = new HashMap<>();
        for (long p : positives) {
            inBatchCounts.merge(p, 1, Integer::sum);
        }
        Map<Long, Integer> addedCounts = new HashMap<>();
        for (long a : added) {
            addedCounts.merge(a, 1, Integer::sum);
        }
        float[] out = new float[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            long item = candidates[i];
            double expected = positives.length == 0
                    ? 0.0
                    : (double) fromBatch * inBatchCounts.getOrDefault(item, 0) / positives.length;
            if (fromSampler > 0) {
                expected += fromSampler
                        * (sampling == NegativeSampling.POPULARITY ? popularity.probability(item) : 1.0 / span);
            }
            expected += addedCounts.getOrDefault(item, 0);
            // every candidate was drawn by at least one source, so expected > 0
            out[i] = (float) Math.log(expected);
        }
        return out;
    }
}
