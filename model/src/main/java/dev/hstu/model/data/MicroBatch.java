package dev.hstu.model.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A packed micro-batch of user sequences as jagged arrays (values + offsets), in external item ids so that it can
 * travel to a trainer that owns the item vocabulary: sequence {@code s} is events
 * {@code offsets[s] .. offsets[s+1]-1}; its next-item targets start at position {@code firstTarget[s]}.
 *
 * <p>Every input beyond the items, actions and timestamps is a named feature column ({@link FeatureColumn}): the
 * CTR channels as {@link FeatureColumn#DENSE} ({@code featureDim} floats per event), the hashed user-feature keys
 * as {@link FeatureColumn#USER_FEATURES} ({@code userFeatureSlots} per sequence, 0 in empty slots), and any column
 * a newer job sends, which a trainer whose model does not read it ignores.
 *
 * @param columns the feature columns, by name in the order given; never the items, actions or timestamps
 */
public record MicroBatch(
        long[] userIds,
        int[] offsets,
        long[] items,
        int[] actions,
        long[] timestampsMs,
        int[] firstTarget,
        long createdAtMs,
        Map<String, ColumnValues> columns) {

    private static final float[] NO_FEATURES = new float[0];
    private static final long[] NO_KEYS = new long[0];

    /** Keeps the columns in their order, unmodifiable. */
    public MicroBatch {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** A batch without dense or user features. */
    public MicroBatch(
            long[] userIds,
            int[] offsets,
            long[] items,
            int[] actions,
            long[] timestampsMs,
            int[] firstTarget,
            long createdAtMs) {
        this(userIds, offsets, items, actions, timestampsMs, firstTarget, createdAtMs, Map.of());
    }

    /** A batch without user features. */
    public MicroBatch(
            long[] userIds,
            int[] offsets,
            long[] items,
            int[] actions,
            long[] timestampsMs,
            float[] features,
            int featureDim,
            int[] firstTarget,
            long createdAtMs) {
        this(
                userIds,
                offsets,
                items,
                actions,
                timestampsMs,
                features,
                featureDim,
                firstTarget,
                createdAtMs,
                NO_KEYS,
                0);
    }

    /** A batch with dense features ({@code featureDim} 0: none) and user features ({@code userFeatureSlots} 0: none). */
    public MicroBatch(
            long[] userIds,
            int[] offsets,
            long[] items,
            int[] actions,
            long[] timestampsMs,
            float[] features,
            int featureDim,
            int[] firstTarget,
            long createdAtMs,
            long[] userFeatures,
            int userFeatureSlots) {
        this(
                userIds,
                offsets,
                items,
                actions,
                timestampsMs,
                firstTarget,
                createdAtMs,
                standardColumns(features, featureDim, userFeatures, userFeatureSlots));
    }

    private static Map<String, ColumnValues> standardColumns(
            float[] features, int featureDim, long[] userFeatures, int userFeatureSlots) {
        Map<String, ColumnValues> columns = new LinkedHashMap<>();
        if (featureDim > 0) {
            columns.put(FeatureColumn.DENSE, ColumnValues.of(FeatureColumn.dense(featureDim), features));
        } else if (features.length > 0) {
            throw new IllegalArgumentException(
                    "micro-batch has " + features.length + " feature values but featureDim " + featureDim);
        }
        if (userFeatureSlots > 0) {
            columns.put(
                    FeatureColumn.USER_FEATURES,
                    ColumnValues.of(FeatureColumn.userFeatures(userFeatureSlots), userFeatures));
        } else if (userFeatures.length > 0) {
            throw new IllegalArgumentException("micro-batch has " + userFeatures.length
                    + " user-feature keys but userFeatureSlots " + userFeatureSlots);
        }
        return columns;
    }

    public int size() {
        return userIds.length;
    }

    public int events() {
        return items.length;
    }

    public int length(int s) {
        return offsets[s + 1] - offsets[s];
    }

    /**
     * @param name a column name
     * @return its values, or null when the batch has no such column
     */
    public ColumnValues column(String name) {
        return columns.get(name);
    }

    /** @return the feature columns' names and shapes, in order */
    public List<FeatureColumn> columnSpecs() {
        return columns.values().stream().map(ColumnValues::column).toList();
    }

    /** @return dense features per event; 0 without the {@link FeatureColumn#DENSE} column */
    public int featureDim() {
        ColumnValues dense = columns.get(FeatureColumn.DENSE);
        return dense == null ? 0 : dense.column().width();
    }

    /** @return event {@code e}'s dense features at {@code [e*featureDim, (e+1)*featureDim)}; empty when none */
    public float[] features() {
        ColumnValues dense = columns.get(FeatureColumn.DENSE);
        return dense == null ? NO_FEATURES : dense.floats();
    }

    /** @return user-feature keys per sequence; 0 without the {@link FeatureColumn#USER_FEATURES} column */
    public int userFeatureSlots() {
        ColumnValues keys = columns.get(FeatureColumn.USER_FEATURES);
        return keys == null ? 0 : keys.column().width();
    }

    /** @return sequence {@code s}'s keys at {@code [s*slots, (s+1)*slots)}, 0 in empty slots; empty when none */
    public long[] userFeatures() {
        ColumnValues keys = columns.get(FeatureColumn.USER_FEATURES);
        return keys == null ? NO_KEYS : keys.longs();
    }

    /** Throws {@link IllegalArgumentException} naming the first inconsistency. */
    public MicroBatch validate() {
        int n = userIds.length;
        if (offsets.length != n + 1 || firstTarget.length != n) {
            throw new IllegalArgumentException("micro-batch of " + n + " sequences has " + offsets.length
                    + " offsets and " + firstTarget.length + " firstTarget entries");
        }
        int events = items.length;
        if (actions.length != events || timestampsMs.length != events) {
            throw new IllegalArgumentException("micro-batch arrays differ in length: items " + events + ", actions "
                    + actions.length + ", timestamps " + timestampsMs.length);
        }
        ColumnValues dense = columns.get(FeatureColumn.DENSE);
        if (dense != null
                && !dense.column().equals(FeatureColumn.dense(dense.column().width()))) {
            throw new IllegalArgumentException("micro-batch column " + dense.column() + " must be per-event floats");
        }
        ColumnValues keys = columns.get(FeatureColumn.USER_FEATURES);
        if (keys != null
                && !keys.column()
                        .equals(FeatureColumn.userFeatures(keys.column().width()))) {
            throw new IllegalArgumentException("micro-batch column " + keys.column() + " must be per-sequence longs");
        }
        for (ColumnValues values : columns.values()) {
            checkColumn(values, events, n);
        }
        if (offsets[0] != 0 || offsets[n] != events) {
            throw new IllegalArgumentException(
                    "micro-batch offsets must run from 0 to " + events + ", got " + offsets[0] + ".." + offsets[n]);
        }
        for (int s = 0; s < n; s++) {
            // compared, not subtracted: MAX_VALUE to MIN_VALUE would pass as a length of 1 and index outside the events
            if (offsets[s + 1] <= offsets[s]) {
                throw new IllegalArgumentException(
                        "micro-batch sequence " + s + " is empty (offsets " + offsets[s] + ".." + offsets[s + 1] + ")");
            }
            int len = offsets[s + 1] - offsets[s];
            if (firstTarget[s] < 0 || firstTarget[s] >= len) {
                throw new IllegalArgumentException("micro-batch sequence " + s + " has firstTarget " + firstTarget[s]
                        + " outside [0, " + (len - 1) + "]");
            }
        }
        return this;
    }

    private static void checkColumn(ColumnValues values, int events, int sequences) {
        FeatureColumn column = values.column();
        int width = column.width();
        if (values.length() != column.valueCount(events, sequences)) {
            if (column.name().equals(FeatureColumn.DENSE)) {
                throw new IllegalArgumentException("micro-batch has " + values.length() + " feature values for "
                        + events + " events of " + width + " features each");
            }
            if (column.name().equals(FeatureColumn.USER_FEATURES)) {
                throw new IllegalArgumentException("micro-batch has " + values.length() + " user-feature keys for "
                        + sequences + " sequences of " + width + " slots each");
            }
            throw new IllegalArgumentException("micro-batch column " + column + " has " + values.length()
                    + " values for " + events + " events and " + sequences + " sequences");
        }
        int bad = values.firstNonFinite();
        if (bad >= 0) {
            String what = column.name().equals(FeatureColumn.DENSE) ? "feature" : "column " + column.name() + " value";
            throw new IllegalArgumentException("micro-batch " + what + " " + (bad % width) + " of "
                    + (column.scope() == FeatureColumn.Scope.EVENT ? "event " : "sequence ") + (bad / width) + " is "
                    + values.floats()[bad]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MicroBatch b
                && createdAtMs == b.createdAtMs
                && Arrays.equals(userIds, b.userIds)
                && Arrays.equals(offsets, b.offsets)
                && Arrays.equals(items, b.items)
                && Arrays.equals(actions, b.actions)
                && Arrays.equals(timestampsMs, b.timestampsMs)
                && Arrays.equals(firstTarget, b.firstTarget)
                && List.copyOf(columns.values()).equals(List.copyOf(b.columns.values()));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items) * 31 + Arrays.hashCode(userIds);
    }

    @Override
    public String toString() {
        return "MicroBatch{" + size() + " sequences, " + events() + " events, " + featureDim() + " features/event, "
                + userFeatureSlots() + " user-feature slots, columns " + columnSpecs() + "}";
    }
}
