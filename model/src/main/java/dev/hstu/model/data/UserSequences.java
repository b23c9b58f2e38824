package dev.hstu.model.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.function.LongToIntFunction;

/**
 * Per-user interaction sequences, oldest event first, items as dense vocabulary rows.
 *
 * @param userIds external id of each user
 * @param items per user, item rows
 * @param actions per user, action values
 * @param timestamps per user, epoch seconds
 * @param vocabulary the item mapping the rows refer to
 * @param denseFeatures per user, {@code denseDim} floats per event, event-major; null when {@code
 *     denseDim == 0}
 * @param denseDim dense features per event (e.g. the CTR channels); 0 = none
 * @param eventColumns further per-event columns a feature module reads (e.g. an item's genres): per column, per
 *     user, one row per event; empty when none
 */
public record UserSequences(
        long[] userIds,
        List<int[]> items,
        List<int[]> actions,
        List<long[]> timestamps,
        ItemVocabulary vocabulary,
        List<float[]> denseFeatures,
        int denseDim,
        Map<FeatureColumn, List<ColumnValues>> eventColumns) {

    /** Copies the columns so that the sequences stay immutable. */
    public UserSequences {
        eventColumns = Collections.unmodifiableMap(new LinkedHashMap<>(eventColumns));
    }

    /** Sequences without dense features. */
    public UserSequences(
            long[] userIds,
            List<int[]> items,
            List<int[]> actions,
            List<long[]> timestamps,
            ItemVocabulary vocabulary) {
        this(userIds, items, actions, timestamps, vocabulary, null, 0, Map.of());
    }

    /**
     * @param column a per-event {@code INT} column of width 1
     * @param valueOfRow the column's value for an item row
     * @return these sequences with that column, each event's value that of its item
     */
    public UserSequences withItemColumn(FeatureColumn column, IntUnaryOperator valueOfRow) {
        if (column.scope() != FeatureColumn.Scope.EVENT
                || column.type() != FeatureColumn.ElementType.INT
                || column.width() != 1) {
            throw new IllegalArgumentException("an item column is per event, int, width 1; got " + column);
        }
        List<ColumnValues> perUser = new ArrayList<>(items.size());
        for (int[] rows : items) {
            int[] values = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                values[i] = valueOfRow.applyAsInt(rows[i]);
            }
            perUser.add(ColumnValues.of(column, values));
        }
        Map<FeatureColumn, List<ColumnValues>> columns = new LinkedHashMap<>(eventColumns);
        columns.put(column, perUser);
        return new UserSequences(userIds, items, actions, timestamps, vocabulary, denseFeatures, denseDim, columns);
    }

    /** @return an empty builder of batches that carry this data's dense features and event columns */
    public PackedBatch.Builder newBuilder() {
        if (eventColumns.isEmpty()) {
            return PackedBatch.builder(denseDim);
        }
        List<FeatureColumn> columns = new ArrayList<>();
        if (denseDim > 0) {
            columns.add(FeatureColumn.dense(denseDim));
        }
        columns.addAll(eventColumns.keySet());
        return PackedBatch.builder(columns);
    }

    /**
     * Appends events {@code [from, from+length)} of user {@code u}, with their dense features when
     * the data has them.
     *
     * @param builder a builder from {@link #newBuilder()}
     * @param u user index
     * @param from first event
     * @param length events
     * @param firstTarget see {@link PackedBatch.Builder#endSequence(int)}
     */
    public void addTo(PackedBatch.Builder builder, int u, int from, int length, int firstTarget) {
        if (!eventColumns.isEmpty()) {
            addEventByEvent(builder, u, from, length, firstTarget);
        } else if (denseDim == 0) {
            builder.addSequence(items.get(u), actions.get(u), timestamps.get(u), from, length, firstTarget);
        } else {
            builder.addSequence(
                    items.get(u), actions.get(u), timestamps.get(u), denseFeatures.get(u), from, length, firstTarget);
        }
    }

    private void addEventByEvent(PackedBatch.Builder builder, int u, int from, int length, int firstTarget) {
        int[] it = items.get(u);
        int[] ac = actions.get(u);
        long[] ts = timestamps.get(u);
        for (int i = from; i < from + length; i++) {
            if (denseDim == 0) {
                builder.addEvent(it[i], ac[i], ts[i]);
            } else {
                builder.addEvent(it[i], ac[i], ts[i], denseFeatures.get(u), i * denseDim);
            }
            for (Map.Entry<FeatureColumn, List<ColumnValues>> column : eventColumns.entrySet()) {
                builder.set(
                        column.getKey().name(),
                        column.getValue().get(u).array(),
                        i * column.getKey().width());
            }
        }
        builder.endSequence(firstTarget);
    }

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
        private final List<float[]> features = new ArrayList<>();
        private int denseDim = -1;

        /**
         * @param userId external user id
         * @param itemId external item id
         * @param action action value ({@code >= 0})
         * @param epochSeconds event time ({@code >= 0})
         */
        public void add(long userId, long itemId, int action, long epochSeconds) {
            if (denseDim > 0) {
                throw new IllegalStateException(
                        "this collector holds " + denseDim + " dense features per event: add them too");
            }
            denseDim = 0;
            byUser.computeIfAbsent(userId, u -> new ArrayList<>()).add(new long[] {epochSeconds, itemId, action, -1});
        }

        /**
         * Adds an event with its dense features; every event of one collector carries the same
         * number.
         *
         * @param userId external user id
         * @param itemId external item id
         * @param action action value ({@code >= 0})
         * @param epochSeconds event time ({@code >= 0})
         * @param dense the event's features (kept, not copied)
         */
        public void add(long userId, long itemId, int action, long epochSeconds, float[] dense) {
            if (dense.length == 0 || (denseDim >= 0 && denseDim != dense.length)) {
                throw new IllegalArgumentException("every event needs the same number (>= 1) of dense features: had "
                        + Math.max(denseDim, 0) + ", got " + dense.length);
            }
            denseDim = dense.length;
            byUser.computeIfAbsent(userId, u -> new ArrayList<>())
                    .add(new long[] {epochSeconds, itemId, action, features.size()});
            features.add(dense);
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
            int dim = Math.max(denseDim, 0);
            List<float[]> dense = dim > 0 ? new ArrayList<>(users.length) : null;
            int u = 0;
            for (Map.Entry<Long, List<long[]>> entry : byUser.entrySet()) {
                long[][] sorted = entry.getValue().toArray(new long[0][]);
                Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
                int n = sorted.length;
                int[] it = new int[n];
                int[] ac = new int[n];
                long[] ts = new long[n];
                float[] df = new float[n * dim];
                for (int i = 0; i < n; i++) {
                    ts[i] = sorted[i][0];
                    it[i] = itemRow.applyAsInt(sorted[i][1]);
                    ac[i] = (int) sorted[i][2];
                    if (dim > 0) {
                        System.arraycopy(features.get((int) sorted[i][3]), 0, df, i * dim, dim);
                    }
                }
                if (dense != null) {
                    dense.add(df);
                }
                users[u++] = entry.getKey();
                items.add(it);
                actions.add(ac);
                timestamps.add(ts);
            }
            return new UserSequences(users, items, actions, timestamps, vocabulary, dense, dim, Map.of());
        }
    }
}
