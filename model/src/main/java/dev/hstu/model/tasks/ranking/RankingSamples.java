package dev.hstu.model.tasks.ranking;

import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Ranking samples of an interaction log, split by time per user. A user's events, oldest first, are cut from the
 * newest backwards into windows of {@code windowEvents} events: the newest window is the user's test sample, the one
 * before it the validation sample, every earlier one a training sample (the oldest may be shorter). A sample is the
 * window's events as candidates after the user's history before the window (at most {@code maxSeqLen} events in all);
 * a candidate's time is its own event time (when the user was shown it) and its label its action bitmask. A user
 * with fewer than {@code 2 * windowEvents + 2} events (no training sample with a history) gives no sample.
 */
public final class RankingSamples {

    /**
     * One sample: candidates {@code [from, from+count)} of user {@code user} after its history {@code [historyStart,
     * from)}.
     *
     * @param user user index in the sequences
     * @param historyStart first history event
     * @param from first candidate
     * @param count candidates
     */
    public record Window(int user, int historyStart, int from, int count) {

        /** @return events of the sample */
        public int length() {
            return from + count - historyStart;
        }
    }

    /**
     * @param train every training window, users in order, oldest window first
     * @param validation per user its validation window
     * @param test per user its test window
     * @param skippedUsers users with too few events for a sample
     */
    public record Split(List<Window> train, List<Window> validation, List<Window> test, int skippedUsers) {}

    private RankingSamples() {}

    /**
     * @param users the sequences
     * @param windowEvents candidates per window ({@code >= 1})
     * @param maxSeqLen longest sample; more than {@code windowEvents}
     * @return the split
     * @throws IllegalArgumentException if the window does not leave room for a history
     */
    public static Split split(UserSequences users, int windowEvents, int maxSeqLen) {
        if (windowEvents < 1 || windowEvents >= maxSeqLen) {
            throw new IllegalArgumentException("the ranking window must hold 1 to maxSeqLen-1 = " + (maxSeqLen - 1)
                    + " events, got " + windowEvents);
        }
        List<Window> train = new ArrayList<>();
        List<Window> validation = new ArrayList<>();
        List<Window> test = new ArrayList<>();
        int skipped = 0;
        for (int u = 0; u < users.size(); u++) {
            int n = users.items().get(u).length;
            if (n < 2 * windowEvents + 2) {
                skipped++;
                continue;
            }
            test.add(window(u, n - windowEvents, windowEvents, maxSeqLen));
            validation.add(window(u, n - 2 * windowEvents, windowEvents, maxSeqLen));
            List<Window> own = new ArrayList<>();
            for (int end = n - 2 * windowEvents; end > 1; end -= windowEvents) {
                int from = Math.max(1, end - windowEvents);
                own.add(window(u, from, end - from, maxSeqLen));
            }
            Collections.reverse(own);
            train.addAll(own);
        }
        return new Split(train, validation, test, skipped);
    }

    private static Window window(int user, int from, int count, int maxSeqLen) {
        return new Window(user, Math.max(0, from - (maxSeqLen - count)), from, count);
    }

    /**
     * @param users the sequences the windows index
     * @return the columns of a ranking batch of these sequences: their dense and event columns and {@link
     *     FeatureColumn#NUM_TARGETS}
     */
    public static List<FeatureColumn> columns(UserSequences users) {
        List<FeatureColumn> columns = new ArrayList<>();
        if (users.denseDim() > 0) {
            columns.add(FeatureColumn.dense(users.denseDim()));
        }
        columns.addAll(users.eventColumns().keySet());
        columns.add(FeatureColumn.NUM_TARGETS_COLUMN);
        return columns;
    }

    /**
     * @param users the sequences the windows index
     * @param windows the samples, one sequence each
     * @return the ranking batch: per sequence the history then the candidates, {@code numTargets} = candidates, no
     *     next-item targets
     */
    public static PackedBatch batch(UserSequences users, List<Window> windows) {
        PackedBatch.Builder builder = PackedBatch.builder(columns(users));
        int[] count = new int[1];
        for (Window w : windows) {
            int[] items = users.items().get(w.user());
            int[] actions = users.actions().get(w.user());
            long[] times = users.timestamps().get(w.user());
            for (int i = w.historyStart(); i < w.from() + w.count(); i++) {
                if (users.denseDim() == 0) {
                    builder.addEvent(items[i], actions[i], times[i]);
                } else {
                    builder.addEvent(
                            items[i],
                            actions[i],
                            times[i],
                            users.denseFeatures().get(w.user()),
                            i * users.denseDim());
                }
                for (Map.Entry<FeatureColumn, List<ColumnValues>> column :
                        users.eventColumns().entrySet()) {
                    builder.set(
                            column.getKey().name(),
                            column.getValue().get(w.user()).array(),
                            i * column.getKey().width());
                }
            }
            count[0] = w.count();
            builder.set(FeatureColumn.NUM_TARGETS, count, 0);
            builder.endSequence(w.length() - 1);
        }
        return builder.build();
    }
}
