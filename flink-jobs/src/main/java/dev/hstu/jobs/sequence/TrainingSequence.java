package dev.hstu.jobs.sequence;

/**
 * A user's sequence handed to the trainer: next-item targets are trained at positions
 * {@code firstTarget .. length-2} (each position predicts the item after it), so a stream of these trains every
 * interaction once instead of re-training the whole history on every event.
 */
public record TrainingSequence(long userId, long[] items, int[] actions, long[] timestampsMs, int firstTarget) {

    /** The pending part of {@code sequence} as a training sequence, or null when it has no target to train. */
    public static TrainingSequence of(long userId, UserSequence sequence) {
        int n = sequence.length();
        if (n < 2 || sequence.pending == 0) {
            return null;
        }
        int firstTarget = Math.max(0, n - 1 - sequence.pending);
        return new TrainingSequence(userId, sequence.items, sequence.actions, sequence.timestampsMs, firstTarget);
    }

    public int length() {
        return items.length;
    }
}
