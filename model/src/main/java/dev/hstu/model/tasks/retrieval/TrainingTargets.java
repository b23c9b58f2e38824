package dev.hstu.model.tasks.retrieval;

import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import java.util.Arrays;

/**
 * The next-item targets of a batch: for each target position, where its query sits in the padded
 * {@code [B, L]} output and which item follows it.
 *
 * <p>A position whose next item is the out-of-vocabulary row is not a target (there is no item to
 * recommend); such positions are counted in {@link #outOfVocabulary()}.
 *
 * @param queryRows flat row {@code s*L + p} of each target's query in the padded output
 * @param positives the item at {@code p+1}
 * @param targetEvents index of each target's event (the one at {@code p+1}) in the batch's packed
 *     event arrays: its action, and the user's history before it, are read from there
 * @param outOfVocabulary positions skipped because the next item is out of vocabulary
 */
public record TrainingTargets(long[] queryRows, long[] positives, int[] targetEvents, int outOfVocabulary) {

    /**
     * The next-item targets of a training batch, refused when there are none: the one check and message of every
     * task that trains on next items (retrieval, Match).
     *
     * @param batch a training batch
     * @return its targets, at least one
     * @throws IllegalArgumentException if the batch has no trainable target, with the reason
     */
    public static TrainingTargets trainable(PackedBatch batch) {
        TrainingTargets targets = of(batch, batch.maxLength());
        if (targets.size() == 0) {
            throw new IllegalArgumentException(
                    "batch has no trainable target: " + batch.numTargetPositions() + " target positions, "
                            + targets.outOfVocabulary() + " of them followed by an out-of-vocabulary item");
        }
        return targets;
    }

    /**
     * @param batch the batch
     * @param paddedLength {@code L} of the padded tensors
     * @return its targets, in sequence then position order
     */
    public static TrainingTargets of(PackedBatch batch, int paddedLength) {
        int capacity = batch.numTargetPositions();
        long[] rows = new long[capacity];
        long[] positives = new long[capacity];
        int[] events = new int[capacity];
        int count = 0;
        int skipped = 0;
        int[] offsets = batch.offsets();
        int[] items = batch.items();
        for (int s = 0; s < batch.size(); s++) {
            int len = offsets[s + 1] - offsets[s];
            for (int p = batch.firstTarget()[s]; p < len - 1; p++) {
                int next = items[offsets[s] + p + 1];
                if (next == ItemVocabulary.OUT_OF_VOCABULARY) {
                    skipped++;
                    continue;
                }
                rows[count] = (long) s * paddedLength + p;
                positives[count] = next;
                events[count] = offsets[s] + p + 1;
                count++;
            }
        }
        return new TrainingTargets(
                Arrays.copyOf(rows, count), Arrays.copyOf(positives, count), Arrays.copyOf(events, count), skipped);
    }

    /** @return number of targets */
    public int size() {
        return positives.length;
    }
}
