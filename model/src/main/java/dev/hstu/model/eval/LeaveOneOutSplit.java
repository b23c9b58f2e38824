package dev.hstu.model.eval;

import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;

/**
 * Leave-one-out by time: per user (events sorted by time) the last event is the test target, the
 * one before it the validation target, the rest is training data. Users with fewer than 3 events
 * cannot give both targets: their whole sequence is training data and they are not evaluated.
 *
 * <p>The validation history is the training part; the test history is the training part plus
 * the validation event, so each target is predicted from everything before it.
 */
public final class LeaveOneOutSplit {

    /** Events a user needs to have a training event, a validation and a test target. */
    public static final int MIN_EVENTS = 3;

    private final UserSequences sequences;

    /** @param sequences per-user sequences sorted by time */
    public LeaveOneOutSplit(UserSequences sequences) {
        this.sequences = sequences;
    }

    /** @return the underlying sequences */
    public UserSequences sequences() {
        return sequences;
    }

    /**
     * @param user user index
     * @return number of leading events of this user used for training
     */
    public int trainingLength(int user) {
        int n = sequences.items().get(user).length;
        return n >= MIN_EVENTS ? n - 2 : n;
    }

    /** @return validation cases: history = training part, target = second-to-last event */
    public EvalCases validation() {
        return cases(2);
    }

    /** @return test cases: history = all but the last event, target = last event */
    public EvalCases test() {
        return cases(1);
    }

    private EvalCases cases(int fromEnd) {
        int evaluated = 0;
        for (int[] it : sequences.items()) {
            if (it.length >= MIN_EVENTS) {
                evaluated++;
            }
        }
        int[] users = new int[evaluated];
        int[] historyLengths = new int[evaluated];
        int c = 0;
        for (int u = 0; u < sequences.size(); u++) {
            int n = sequences.items().get(u).length;
            if (n >= MIN_EVENTS) {
                users[c] = u;
                historyLengths[c] = n - fromEnd;
                c++;
            }
        }
        return new EvalCases(sequences, users, historyLengths);
    }

    /**
     * Each user's training part, cut to its most recent {@code maxLength} events, as one batch
     * with every position a target.
     *
     * @param users user indices
     * @param maxLength longest sequence the model takes
     * @param builder reused builder
     * @return the batch
     */
    public PackedBatch trainingBatch(int[] users, int maxLength, PackedBatch.Builder builder) {
        builder.reset();
        for (int u : users) {
            int len = trainingLength(u);
            int kept = Math.min(len, maxLength);
            sequences.addTo(builder, u, len - kept, kept, 0);
        }
        return builder.build();
    }
}
