package dev.hstu.jobs.batch;

import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.data.ColumnBuffer;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.FeatureColumn.Scope;
import dev.hstu.model.data.MicroBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends training sequences into growable primitive arrays, reused across batches, so packing costs no object per
 * event; only {@link #build} allocates, once per batch.
 *
 * <p>The batches carry the feature columns the builder is made with, each taken by name from the sequence
 * ({@link TrainingSequence#column}). A sequence without the column, or with a per-event column of another width
 * (state written under another feature configuration), contributes zeros, so a job restored after a feature was
 * switched on keeps running. A per-sequence column keeps the sequence's first values and pads the rest with zeros
 * (the user-feature keys: a user with more keys than slots keeps the first ones in key order, counted by
 * {@link #truncatedUserFeatures()}).
 */
public final class MicroBatchBuilder {

    private final List<ColumnBuffer> columns = new ArrayList<>();
    private long truncatedUserFeatures;
    private long[] userIds = new long[64];
    private int[] offsets = new int[65];
    private int[] firstTarget = new int[64];
    private long[] items = new long[4096];
    private int[] actions = new int[4096];
    private long[] timestampsMs = new long[4096];
    private int size;
    private int events;

    /** A builder of batches without dense features. */
    public MicroBatchBuilder() {
        this(0);
    }

    /** @param featureDim dense features per event in the batches built (the job's CTR channels; 0 for none) */
    public MicroBatchBuilder(int featureDim) {
        this(featureDim, 0);
    }

    /**
     * @param featureDim       as above
     * @param userFeatureSlots user-feature keys per sequence ({@code model.features.userFeatures.slots}; 0 for none)
     */
    public MicroBatchBuilder(int featureDim, int userFeatureSlots) {
        this(standardColumns(featureDim, userFeatureSlots));
    }

    /** @param columns the feature columns of the batches built */
    public MicroBatchBuilder(List<FeatureColumn> columns) {
        for (FeatureColumn column : columns) {
            this.columns.add(new ColumnBuffer(column, column.scope() == Scope.EVENT ? 4096 : 64));
        }
    }

    private static List<FeatureColumn> standardColumns(int featureDim, int userFeatureSlots) {
        if (featureDim < 0 || userFeatureSlots < 0) {
            throw new IllegalArgumentException(
                    "featureDim and userFeatureSlots must be >= 0, got " + featureDim + " and " + userFeatureSlots);
        }
        List<FeatureColumn> columns = new ArrayList<>();
        if (featureDim > 0) {
            columns.add(FeatureColumn.dense(featureDim));
        }
        if (userFeatureSlots > 0) {
            columns.add(FeatureColumn.userFeatures(userFeatureSlots));
        }
        return columns;
    }

    /** Appends the sequence's last {@code maxLength} events, shifting its first target accordingly. */
    public void add(TrainingSequence sequence, int maxLength) {
        int n = sequence.length();
        int from = Math.max(0, n - maxLength);
        int len = n - from;
        if (size + 1 >= userIds.length) {
            userIds = Arrays.copyOf(userIds, userIds.length * 2);
            firstTarget = Arrays.copyOf(firstTarget, userIds.length);
            offsets = Arrays.copyOf(offsets, userIds.length + 1);
        }
        if (events + len > items.length) {
            int capacity = Math.max(items.length * 2, events + len);
            items = Arrays.copyOf(items, capacity);
            actions = Arrays.copyOf(actions, capacity);
            timestampsMs = Arrays.copyOf(timestampsMs, capacity);
        }
        System.arraycopy(sequence.items(), from, items, events, len);
        System.arraycopy(sequence.actions(), from, actions, events, len);
        System.arraycopy(sequence.timestampsMs(), from, timestampsMs, events, len);
        for (ColumnBuffer buffer : columns) {
            addColumn(buffer, sequence.column(buffer.column().name()), from, len);
        }
        userIds[size] = sequence.userId();
        firstTarget[size] = Math.max(0, sequence.firstTarget() - from);
        offsets[size] = events;
        events += len;
        size++;
        offsets[size] = events;
    }

    private void addColumn(ColumnBuffer buffer, ColumnValues values, int from, int len) {
        FeatureColumn column = buffer.column();
        boolean sameType = values != null && values.column().type() == column.type();
        if (column.scope() == Scope.EVENT) {
            buffer.ensureRows(events + len);
            if (sameType && values.column().equals(column)) {
                buffer.copyRows(values, from, events, len);
            } else {
                buffer.clearRows(events, len);
            }
            return;
        }
        buffer.ensureRows(size + 1);
        if (sameType && values.column().scope() == Scope.SEQUENCE) {
            boolean cut = buffer.copyRowPrefix(values, 0, size);
            if (cut && column.name().equals(FeatureColumn.USER_FEATURES)) {
                truncatedUserFeatures++;
            }
        } else {
            buffer.clearRows(size, 1);
        }
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** @return sequences packed so far whose user had more user-feature keys than slots */
    public long truncatedUserFeatures() {
        return truncatedUserFeatures;
    }

    /** The batch packed so far; the builder is empty afterwards and keeps its arrays. */
    public MicroBatch build(long createdAtMs) {
        Map<String, ColumnValues> values = new LinkedHashMap<>();
        for (ColumnBuffer buffer : columns) {
            FeatureColumn column = buffer.column();
            values.put(column.name(), buffer.copy(column.scope() == Scope.EVENT ? events : size));
        }
        MicroBatch batch = new MicroBatch(
                Arrays.copyOf(userIds, size),
                Arrays.copyOf(offsets, size + 1),
                Arrays.copyOf(items, events),
                Arrays.copyOf(actions, events),
                Arrays.copyOf(timestampsMs, events),
                Arrays.copyOf(firstTarget, size),
                createdAtMs,
                values);
        size = 0;
        events = 0;
        offsets[0] = 0;
        return batch;
    }
}
