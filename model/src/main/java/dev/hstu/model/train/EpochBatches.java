package dev.hstu.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * How one epoch's training windows are cut into steps: a fixed number of sequences per step, or as many as fit a
 * budget of padded tokens.
 *
 * <p>Either way the shuffled windows are cut into groups, sorted by length inside a group, cut into batches, and the
 * batches are shuffled again, so a batch is padded only to lengths close to its own and every window still appears
 * exactly once per epoch. The plan depends only on the windows and the random source, so a resumed or repeated run
 * with the same seed steps through the same batches.
 *
 * <p>A token budget is what keeps a GPU busy on real length distributions: a fixed 32 users of Amazon Beauty (8.9
 * events per user on average) is a few hundred tokens per step, too little work to cover a step's fixed cost of
 * launching a few hundred kernels, while long-tailed MovieLens histories make fixed-size batches of long windows
 * large. With a budget, each step's padded area ({@code sequences x longest}) stays near the budget whatever the
 * lengths.
 */
public final class EpochBatches {

    /** Batches whose sequences are sorted by length together. */
    public static final int SORT_GROUP = 8;

    private final int batchSize;
    private final int batchTokens;

    private EpochBatches(int batchSize, int batchTokens) {
        this.batchSize = batchSize;
        this.batchTokens = batchTokens;
    }

    /**
     * @param batchSize sequences per step, used when {@code batchTokens} is 0
     * @param batchTokens padded tokens per step ({@code sequences x longest}); 0: {@code batchSize} sequences per step
     * @return the policy
     * @throws IllegalArgumentException if neither is positive, or either is negative
     */
    public static EpochBatches of(int batchSize, int batchTokens) {
        if (batchTokens < 0) {
            throw new IllegalArgumentException(
                    "batchTokens must be >= 0 (0 = batchSize sequences), got " + batchTokens);
        }
        if (batchTokens == 0 && batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        return new EpochBatches(batchSize, batchTokens);
    }

    /** @return whether steps are sized by a token budget rather than a sequence count */
    public boolean byTokens() {
        return batchTokens > 0;
    }

    /**
     * @param windows every training window of the epoch
     * @param random source of the two shuffles
     * @return the epoch's batches, in step order
     */
    public List<List<TrainingWindows.Window>> plan(List<TrainingWindows.Window> windows, SplittableRandom random) {
        List<TrainingWindows.Window> order = new ArrayList<>(windows);
        Collections.shuffle(order, new Random(random.nextLong()));
        List<List<TrainingWindows.Window>> batches = new ArrayList<>();
        int from = 0;
        while (from < order.size()) {
            int to = groupEnd(order, from);
            List<TrainingWindows.Window> group = new ArrayList<>(order.subList(from, to));
            group.sort(Comparator.comparingInt(EpochBatches::length));
            if (byTokens()) {
                cutByTokens(group, batches);
            } else {
                for (int b = 0; b < group.size(); b += batchSize) {
                    batches.add(group.subList(b, Math.min(group.size(), b + batchSize)));
                }
            }
            from = to;
        }
        Collections.shuffle(batches, new Random(random.nextLong()));
        return batches;
    }

    /**
     * @param windows every training window of an epoch
     * @return the steps of one epoch as planned with a fixed seed (a token budget's count varies by a few steps
     *     between shuffles; the learning-rate schedule only needs it close)
     */
    public int stepsPerEpoch(List<TrainingWindows.Window> windows) {
        if (!byTokens()) {
            return (windows.size() + batchSize - 1) / batchSize;
        }
        return plan(windows, new SplittableRandom(0)).size();
    }

    private int groupEnd(List<TrainingWindows.Window> order, int from) {
        if (!byTokens()) {
            return Math.min(order.size(), from + batchSize * SORT_GROUP);
        }
        long budget = (long) batchTokens * SORT_GROUP;
        long tokens = 0;
        int to = from;
        while (to < order.size() && (to == from || tokens + length(order.get(to)) <= budget)) {
            tokens += length(order.get(to++));
        }
        return to;
    }

    /** Cuts a group sorted by length: each window added is the batch's longest, so the padded area is count x it. */
    private void cutByTokens(List<TrainingWindows.Window> sorted, List<List<TrainingWindows.Window>> batches) {
        int start = 0;
        for (int i = 0; i < sorted.size(); i++) {
            long area = (long) (i - start + 1) * length(sorted.get(i));
            if (i > start && area > batchTokens) {
                batches.add(sorted.subList(start, i));
                start = i;
            }
        }
        if (start < sorted.size()) {
            batches.add(sorted.subList(start, sorted.size()));
        }
    }

    private static int length(TrainingWindows.Window w) {
        return w.to() - w.from();
    }
}
