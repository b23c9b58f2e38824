package dev.hstu.model.train;

import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.eval.LeaveOneOutSplit;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts every user's training part into windows of at most {@code maxSeqLen} events so that every
 * next-item target of the history is trained once per epoch, not only those of the most recent
 * {@code maxSeqLen} events.
 *
 * <p>Windows end {@code stride} events apart, newest first. A window trains only its last {@code
 * stride} targets, so each target is trained exactly once and sees at least {@code maxSeqLen -
 * stride} events of context; the oldest window of a user trains all of its targets.
 */
public final class TrainingWindows {

    /**
     * One window of a user's training part.
     *
     * @param user user index in the split
     * @param from first event (inclusive)
     * @param to last event (exclusive)
     * @param firstTarget first position, relative to {@code from}, whose next item is trained
     */
    public record Window(int user, int from, int to, int firstTarget) {}

    private TrainingWindows() {}

    /**
     * @param split the data
     * @param users users with at least two training events
     * @param maxSeqLen longest window
     * @param stride events between consecutive window ends, in {@code [1, maxSeqLen - 1]}
     * @return the windows of all users, user by user
     * @throws IllegalArgumentException if {@code stride} is out of range
     */
    public static List<Window> of(LeaveOneOutSplit split, int[] users, int maxSeqLen, int stride) {
        if (stride < 1 || stride > maxSeqLen - 1) {
            throw new IllegalArgumentException(
                    "windowStride must be in [1, maxSeqLen-1=" + (maxSeqLen - 1) + "], got " + stride);
        }
        List<Window> windows = new ArrayList<>();
        for (int u : users) {
            int end = split.trainingLength(u);
            while (true) {
                int from = Math.max(0, end - maxSeqLen);
                if (from == 0) {
                    windows.add(new Window(u, 0, end, 0));
                    break;
                }
                // trains targets at absolute positions end-stride-1 .. end-2
                windows.add(new Window(u, from, end, end - stride - 1 - from));
                end -= stride;
            }
        }
        return windows;
    }

    /**
     * @param split the data
     * @param windows windows of one batch
     * @param builder reused builder
     * @return the batch
     */
    public static PackedBatch batch(LeaveOneOutSplit split, List<Window> windows, PackedBatch.Builder builder) {
        builder.reset();
        var sequences = split.sequences();
        for (Window w : windows) {
            sequences.addTo(builder, w.user(), w.from(), w.to() - w.from(), w.firstTarget());
        }
        return builder.build();
    }
}
