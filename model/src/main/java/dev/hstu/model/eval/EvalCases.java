package dev.hstu.model.eval;

import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;

/**
 * Next-item cases: for each evaluated user, a history prefix of its sequence and the event right
 * after it as the target.
 *
 * @param sequences the sequences the cases point into
 * @param users user index of each case
 * @param historyLengths events of the user's sequence before its target
 */
public record EvalCases(UserSequences sequences, int[] users, int[] historyLengths) {

    /** @return number of cases */
    public int size() {
        return users.length;
    }

    /**
     * @param c case index
     * @return the target item row
     */
    public int target(int c) {
        return sequences.items().get(users[c])[historyLengths[c]];
    }

    /**
     * The histories of cases {@code [from, to)}, each cut to its most recent {@code maxLength}
     * events, with no training target.
     *
     * @param from first case
     * @param to end case (exclusive)
     * @param maxLength longest sequence the model takes
     * @param builder reused builder
     * @return one sequence per case
     */
    public PackedBatch histories(int from, int to, int maxLength, PackedBatch.Builder builder) {
        builder.reset();
        for (int c = from; c < to; c++) {
            int u = users[c];
            int len = historyLengths[c];
            int kept = Math.min(len, maxLength);
            sequences.addTo(builder, u, len - kept, kept, kept - 1);
        }
        return builder.build();
    }
}
