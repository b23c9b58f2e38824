package dev.hstu.model.data;

import dev.hstu.model.features.ItemVocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToIntFunction;

/**
 * Per-user interaction sequences, oldest event first, items as dense vocabulary rows.
 *
 * @param userIds external id of each user
 * @param items per user, item rows
 * @param actions per user, action values
 * @param timestamps per user, epoch seconds
 * @param vocabulary the item mapping the rows refer to
 */
public record UserSequences(long[] userIds, List<int[]> items, List<int[]> actions, List<long[]> timestamps,
        ItemVocabulary vocabulary) {

    /** @return number of users */
    public int size() {
        return userIds.length;
    }

    /** @return total number of events over all users */
    public long totalEvents() {
        long n = 0;
        for (int[] it : items) {
            n += it.length;
        }
        return n;
    }

    /**
     * Collects raw events per user, then sorts each user's events by time (stable, so events with
     * equal timestamps keep their input order) and maps item ids to rows.
     */
    public static final class Collector {
        private final Map<Long, List<long[]>> byUser = new LinkedHashMap<>();

        /**
         * @param userId external user id
         * @param itemId external item id
         * @param action action value ({@code >= 0})
         * @param epochSeconds event time ({@code >= 0})
         */
        public void add(long userId, long itemId, int action, long epochSeconds) {
            byUser.computeIfAbsent(userId, u -> new ArrayList<>()).add(new long[] {epochSeconds, itemId, action});
        }

        /**
         * @param vocabulary the vocabulary the rows refer to
         * @param itemRow maps an item id to its row (e.g. {@code vocabulary::indexOrAssign} while
         *     training, {@code vocabulary::indexOf} for a trained model)
         * @return the sequences, users in first-seen order
         */
        public UserSequences build(ItemVocabulary vocabulary, LongToIntFunction itemRow) {
            long[] users = new long[byUser.size()];
            List<int[]> items = new ArrayList<>(users.length);
            List<int[]> actions = new ArrayList<>(users.length);
            List<long[]> timestamps = new ArrayList<>(users.length);
            int u = 0;
            for (Map.Entry<Long, List<long[]>> entry : byUser.entrySet()) {
                long[][] sorted = entry.getValue().toArray(new long[0][]);
                Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
                int n = sorted.length;
                int[] it = new int[n];
                int[] ac = new int[n];
                long[] ts = new long[n];
                for (int i = 0; i < n; i++) {
                    ts[i] = sorted[i][0];
                    it[i] = itemRow.applyAsInt(sorted[i][1]);
                    ac[i] = (int) sorted[i][2];
                }
                users[u++] = entry.getKey();
                items.add(it);
                actions.add(ac);
                timestamps.add(ts);
            }
            return new UserSequences(users, items, actions, timestamps, vocabulary);
        }
    }
}
