package dev.hstu.jobs.sequence;

import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;

/**
 * A user's sequence handed to the trainer: next-item targets are trained at positions
 * {@code firstTarget .. length-2} (each position predicts the item after it), so a stream of these trains every
 * interaction once instead of re-training the whole history on every event.
 *
 * @param features    dense features per event ({@code featureDim} floats each, event-major); empty when none
 * @param featureDim  dense features per event; 0 when the job attaches none
 * @param userFeatures the user's latest hashed user-feature keys, sorted; empty when none
 */
public record TrainingSequence(
        long userId,
        long[] items,
        int[] actions,
        long[] timestampsMs,
        float[] features,
        int featureDim,
        int firstTarget,
        long[] userFeatures) {

    /** A sequence without dense or user features. */
    public TrainingSequence(long userId, long[] items, int[] actions, long[] timestampsMs, int firstTarget) {
        this(userId, items, actions, timestampsMs, new float[0], 0, firstTarget);
    }

    /** A sequence without user features. */
    public TrainingSequence(
            long userId,
            long[] items,
            int[] actions,
            long[] timestampsMs,
            float[] features,
            int featureDim,
            int firstTarget) {
        this(userId, items, actions, timestampsMs, features, featureDim, firstTarget, new long[0]);
    }

    /**
     * The pending part of {@code sequence} as a training sequence, or null when it has no target to train. It
     * shares the sequence's arrays, which {@link UserSequence#add} replaces rather than changes.
     */
    public static TrainingSequence of(long userId, UserSequence sequence) {
        int n = sequence.length();
        if (n < 2 || sequence.pending == 0) {
            return null;
        }
        int firstTarget = Math.max(0, n - 1 - sequence.pending);
        return new TrainingSequence(
                userId,
                sequence.items,
                sequence.actions,
                sequence.timestampsMs,
                sequence.features,
                sequence.featureDim,
                firstTarget,
                sequence.userFeatures());
    }

    public int length() {
        return items.length;
    }

    /**
     * The sequence's feature columns by name, as a micro-batch carries them: {@link FeatureColumn#DENSE} (its
     * {@code featureDim} features per event) and {@link FeatureColumn#USER_FEATURES} (all its keys as one row).
     *
     * @param name a column name
     * @return the column's values, or null when the sequence has none
     */
    public ColumnValues column(String name) {
        if (name.equals(FeatureColumn.DENSE) && featureDim > 0) {
            return ColumnValues.of(FeatureColumn.dense(featureDim), features);
        }
        if (name.equals(FeatureColumn.USER_FEATURES) && userFeatures.length > 0) {
            return ColumnValues.of(FeatureColumn.userFeatures(userFeatures.length), userFeatures);
        }
        return null;
    }
}
