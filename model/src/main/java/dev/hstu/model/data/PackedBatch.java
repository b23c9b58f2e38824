package dev.hstu.model.data;

import dev.hstu.model.data.FeatureColumn.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A jagged micro-batch of interaction sequences: one flat array per field plus offsets, no
 * per-example objects.
 *
 * <p>Sequence {@code s} occupies {@code [offsets[s], offsets[s+1])} of {@link #items()}, {@link
 * #actions()} and {@link #timestamps()}, oldest event first. The training targets of a sequence
 * are the next item at every position {@code p} with {@code firstTarget[s] <= p < length-1}, so a
 * streaming trainer can send a user's whole recent history for context while training only on
 * positions it has not trained on before.
 *
 * <p>Item indices are dense vocabulary indices: 1 is the out-of-vocabulary row (accepted as
 * history, never trained as a target), real items are {@code >= 2}; 0 (padding) is rejected.
 * Whether an index fits a model's item table is checked by the model. The accessors return the
 * internal arrays without copying: treat them as read-only.
 *
 * <p>Optionally, every event carries {@link #denseDim()} floats of dense features (e.g. a price,
 * a CTR channel, a projected content embedding), flat and event-major in {@link
 * #denseFeatures()}; a batch without them has {@code denseDim() == 0}. Only a model configured with
 * the same {@code denseFeatureDim} reads them; any other model ignores them.
 *
 * <p>Optionally, every sequence carries {@link #userFeatureSlots()} sparse user-feature keys (e.g.
 * a hash of feature id and value, see {@link UserFeatureHashing#key}), flat and sequence-major in
 * {@link #userFeatures()}; a slot holding {@link #NO_USER_FEATURE} is empty, so a user may have
 * fewer keys than slots. Only a model configured with the same {@code userFeatureSlots} reads them.
 *
 * <p>Every field is a named {@link FeatureColumn} ({@link #column(String)}): the three event
 * columns above, the optional {@link FeatureColumn#DENSE} and {@link FeatureColumn#USER_FEATURES}
 * columns, and any other column a feature module reads ({@link #withColumn}), so a new input
 * feature needs a new column, not a new field here.
 */
public final class PackedBatch {

    /** The key of an empty user-feature slot. */
    public static final long NO_USER_FEATURE = 0L;

    private final int[] offsets;
    private final int[] firstTarget;
    private final Map<String, ColumnValues> columns;
    private final int[] items;
    private final int[] actions;
    private final long[] timestamps;

    private PackedBatch(int[] offsets, int[] firstTarget, Map<String, ColumnValues> columns) {
        this.offsets = offsets;
        this.firstTarget = firstTarget;
        this.columns = Collections.unmodifiableMap(columns);
        this.items = columns.get(FeatureColumn.ITEMS).ints();
        this.actions = columns.get(FeatureColumn.ACTIONS).ints();
        this.timestamps = columns.get(FeatureColumn.TIMESTAMPS).longs();
    }

    private static Map<String, ColumnValues> eventColumns(int[] items, int[] actions, long[] timestamps) {
        Map<String, ColumnValues> columns = new LinkedHashMap<>();
        columns.put(FeatureColumn.ITEMS, ColumnValues.of(FeatureColumn.ITEM_COLUMN, items));
        columns.put(FeatureColumn.ACTIONS, ColumnValues.of(FeatureColumn.ACTION_COLUMN, actions));
        columns.put(FeatureColumn.TIMESTAMPS, ColumnValues.of(FeatureColumn.TIMESTAMP_COLUMN, timestamps));
        return columns;
    }

    /**
     * Wraps (without copying) and validates jagged arrays.
     *
     * @param offsets {@code size+1} monotone offsets starting at 0 and ending at the event count
     * @param items item index per event ({@code >= 1})
     * @param actions action bitmask per event ({@code >= 0})
     * @param timestamps epoch seconds per event ({@code >= 0})
     * @param firstTarget per sequence, the first position whose next item is a target
     * @return the batch
     * @throws IllegalArgumentException naming the inconsistent field, sequence and value
     */
    public static PackedBatch of(int[] offsets, int[] items, int[] actions, long[] timestamps, int[] firstTarget) {
        validate(offsets, items, actions, timestamps, firstTarget);
        return new PackedBatch(offsets, firstTarget, eventColumns(items, actions, timestamps));
    }

    /**
     * Wraps (without copying) and validates jagged arrays with per-event dense features.
     *
     * @param offsets {@code size+1} monotone offsets starting at 0 and ending at the event count
     * @param items item index per event ({@code >= 1})
     * @param actions action bitmask per event ({@code >= 0})
     * @param timestamps epoch seconds per event ({@code >= 0})
     * @param firstTarget per sequence, the first position whose next item is a target
     * @param denseFeatures {@code events * denseDim} finite floats, event-major
     * @param denseDim features per event ({@code >= 1})
     * @return the batch
     * @throws IllegalArgumentException naming the inconsistent field, sequence and value
     */
    public static PackedBatch of(
            int[] offsets,
            int[] items,
            int[] actions,
            long[] timestamps,
            int[] firstTarget,
            float[] denseFeatures,
            int denseDim) {
        validate(offsets, items, actions, timestamps, firstTarget);
        if (denseDim < 1) {
            throw new IllegalArgumentException("batch.denseDim must be >= 1 with dense features, got " + denseDim);
        }
        int events = offsets[offsets.length - 1];
        if (denseFeatures == null || denseFeatures.length != (long) events * denseDim) {
            throw new IllegalArgumentException("batch.denseFeatures must hold events*denseDim = " + events + "*"
                    + denseDim + " floats, got " + (denseFeatures == null ? "null" : denseFeatures.length));
        }
        for (int i = 0; i < denseFeatures.length; i++) {
            checkDense(i / denseDim, i % denseDim, denseFeatures[i]);
        }
        Map<String, ColumnValues> columns = eventColumns(items, actions, timestamps);
        columns.put(FeatureColumn.DENSE, ColumnValues.of(FeatureColumn.dense(denseDim), denseFeatures));
        return new PackedBatch(offsets, firstTarget, columns);
    }

    /**
     * The same events (arrays shared, not copied) with per-sequence user-feature keys.
     *
     * @param keys {@code size() * slots} keys, sequence-major; {@link #NO_USER_FEATURE} marks an
     *     empty slot
     * @param slots keys per sequence ({@code >= 1})
     * @return the batch with user features (replacing any this one had)
     * @throws IllegalArgumentException if the array does not hold {@code slots} keys per sequence
     */
    public PackedBatch withUserFeatures(long[] keys, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("batch.userFeatureSlots must be >= 1 with user features, got " + slots);
        }
        if (keys == null || keys.length != (long) size() * slots) {
            throw new IllegalArgumentException("batch.userFeatures must hold sequences*slots = " + size() + "*" + slots
                    + " keys, got " + (keys == null ? "null" : keys.length));
        }
        return withColumn(ColumnValues.of(FeatureColumn.userFeatures(slots), keys));
    }

    /**
     * The same events (arrays shared, not copied) with one more feature column.
     *
     * @param values the column: {@code width} values per event or per sequence, by its scope
     * @return the batch with the column (replacing one of the same name)
     * @throws IllegalArgumentException if the column does not fit the batch, holds a non-finite
     *     float, or would replace the items, actions or timestamps
     */
    public PackedBatch withColumn(ColumnValues values) {
        FeatureColumn column = values.column();
        if (isEventIdentity(column.name())) {
            throw new IllegalArgumentException("batch column " + column.name() + " is set by PackedBatch.of");
        }
        long expected = column.valueCount(totalEvents(), size());
        if (values.length() != expected) {
            throw new IllegalArgumentException("batch column " + column + " must hold " + expected + " values for "
                    + totalEvents() + " events and " + size() + " sequences, got " + values.length());
        }
        int bad = values.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException(
                    "batch column " + column.name() + " value " + bad + " must be finite, got " + values.floats()[bad]);
        }
        Map<String, ColumnValues> next = new LinkedHashMap<>(columns);
        next.put(column.name(), values);
        return new PackedBatch(offsets, firstTarget, next);
    }

    private static boolean isEventIdentity(String name) {
        return name.equals(FeatureColumn.ITEMS)
                || name.equals(FeatureColumn.ACTIONS)
                || name.equals(FeatureColumn.TIMESTAMPS);
    }

    private static void checkDense(int event, int feature, float value) {
        // a NaN or infinity would poison the whole batch's loss through the shared projection
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(
                    "batch.denseFeatures of event " + event + ", feature " + feature + " must be finite, got " + value);
        }
    }

    private static void validate(int[] offsets, int[] items, int[] actions, long[] timestamps, int[] firstTarget) {
        if (offsets == null || items == null || actions == null || timestamps == null || firstTarget == null) {
            throw new IllegalArgumentException("batch arrays must not be null");
        }
        if (offsets.length < 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("batch.offsets must start with 0, got "
                    + Arrays.toString(Arrays.copyOf(offsets, Math.min(offsets.length, 3))));
        }
        int size = offsets.length - 1;
        if (firstTarget.length != size) {
            throw new IllegalArgumentException(
                    "batch.firstTarget has " + firstTarget.length + " entries for " + size + " sequences");
        }
        for (int s = 0; s < size; s++) {
            int len = offsets[s + 1] - offsets[s];
            if (len < 1) {
                throw new IllegalArgumentException(
                        "batch.offsets must be strictly increasing (no empty sequence), sequence " + s + " has length "
                                + len);
            }
            if (firstTarget[s] < 0 || firstTarget[s] > len - 1) {
                throw new IllegalArgumentException("batch.firstTarget of sequence " + s + " must be in [0, " + (len - 1)
                        + "], got " + firstTarget[s]);
            }
        }
        int events = offsets[size];
        if (items.length != events || actions.length != events || timestamps.length != events) {
            throw new IllegalArgumentException(String.format(
                    "batch arrays disagree: offsets end at %d events but items=%d, actions=%d, timestamps=%d",
                    events, items.length, actions.length, timestamps.length));
        }
        for (int i = 0; i < events; i++) {
            checkEvent(i, items[i], actions[i], timestamps[i]);
        }
    }

    static void checkEvent(int event, int item, int action, long timestamp) {
        if (item < 1) {
            throw new IllegalArgumentException("batch.items[" + event + "] must be >= 1 (0 is padding), got " + item);
        }
        if (action < 0) {
            throw new IllegalArgumentException("batch.actions[" + event + "] must be >= 0, got " + action);
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException(
                    "batch.timestamps[" + event + "] must be >= 0 epoch seconds, got " + timestamp);
        }
    }

    /** @return the number of sequences */
    public int size() {
        return offsets.length - 1;
    }

    /** @return {@code size()+1} offsets into the event arrays */
    public int[] offsets() {
        return offsets;
    }

    /** @return item index per event */
    public int[] items() {
        return items;
    }

    /** @return action bitmask per event */
    public int[] actions() {
        return actions;
    }

    /** @return epoch seconds per event */
    public long[] timestamps() {
        return timestamps;
    }

    /** @return per sequence, the first position whose next item is a training target */
    public int[] firstTarget() {
        return firstTarget;
    }

    /**
     * @param name a column name, e.g. {@link FeatureColumn#DENSE}
     * @return the column's values, or null when the batch has no such column
     */
    public ColumnValues column(String name) {
        return columns.get(name);
    }

    /** @return every column, the items, actions and timestamps first */
    public Collection<ColumnValues> columns() {
        return columns.values();
    }

    /** @return dense features per event, 0 when the batch carries none */
    public int denseDim() {
        ColumnValues dense = columns.get(FeatureColumn.DENSE);
        return dense == null ? 0 : dense.column().width();
    }

    /**
     * @return {@code totalEvents() * denseDim()} floats, event {@code i}'s features at {@code
     *     [i*denseDim, (i+1)*denseDim)}; null when {@code denseDim() == 0}
     */
    public float[] denseFeatures() {
        ColumnValues dense = columns.get(FeatureColumn.DENSE);
        return dense == null ? null : dense.floats();
    }

    /** @return user-feature keys per sequence, 0 when the batch carries none */
    public int userFeatureSlots() {
        ColumnValues keys = columns.get(FeatureColumn.USER_FEATURES);
        return keys == null ? 0 : keys.column().width();
    }

    /**
     * @return {@code size() * userFeatureSlots()} keys, sequence {@code s}'s at {@code
     *     [s*slots, (s+1)*slots)}, {@link #NO_USER_FEATURE} in empty slots; null when {@code
     *     userFeatureSlots() == 0}
     */
    public long[] userFeatures() {
        ColumnValues keys = columns.get(FeatureColumn.USER_FEATURES);
        return keys == null ? null : keys.longs();
    }

    /**
     * @param s sequence index
     * @return number of events in sequence {@code s}
     */
    public int length(int s) {
        return offsets[s + 1] - offsets[s];
    }

    /** @return the total number of events */
    public int totalEvents() {
        return offsets[offsets.length - 1];
    }

    /** @return the length of the longest sequence (0 for an empty batch) */
    public int maxLength() {
        int max = 0;
        for (int s = 0; s < size(); s++) {
            max = Math.max(max, length(s));
        }
        return max;
    }

    /** @return the number of target positions over all sequences */
    public int numTargetPositions() {
        int n = 0;
        for (int s = 0; s < size(); s++) {
            n += length(s) - 1 - firstTarget[s];
        }
        return n;
    }

    /** @return a new empty builder of batches without dense features */
    public static Builder builder() {
        return new Builder(List.of());
    }

    /**
     * @param denseDim dense features per event; 0 builds batches without them
     * @return a new empty builder whose every event carries {@code denseDim} features
     * @throws IllegalArgumentException if {@code denseDim < 0}
     */
    public static Builder builder(int denseDim) {
        return builder(denseDim, 0);
    }

    /**
     * @param denseDim dense features per event; 0 builds batches without them
     * @param userFeatureSlots user-feature keys per sequence; 0 builds batches without them
     * @return a new empty builder whose every event carries {@code denseDim} features and every
     *     sequence {@code userFeatureSlots} keys
     * @throws IllegalArgumentException if either is negative
     */
    public static Builder builder(int denseDim, int userFeatureSlots) {
        if (denseDim < 0) {
            throw new IllegalArgumentException("batch.denseDim must be >= 0 (0 = none), got " + denseDim);
        }
        if (userFeatureSlots < 0) {
            throw new IllegalArgumentException(
                    "batch.userFeatureSlots must be >= 0 (0 = none), got " + userFeatureSlots);
        }
        List<FeatureColumn> columns = new ArrayList<>();
        if (denseDim > 0) {
            columns.add(FeatureColumn.dense(denseDim));
        }
        if (userFeatureSlots > 0) {
            columns.add(FeatureColumn.userFeatures(userFeatureSlots));
        }
        return new Builder(columns);
    }

    /**
     * @param columns the feature columns every batch built carries next to the items, actions and
     *     timestamps, e.g. {@link FeatureColumn#dense} or a column of a new feature module
     * @return a new empty builder
     * @throws IllegalArgumentException if a name repeats or names an event column
     */
    public static Builder builder(List<FeatureColumn> columns) {
        return new Builder(columns);
    }

    /**
     * Appends sequences into growable primitive arrays; reusable after {@link #reset()} so a
     * packing operator allocates nothing per event once the arrays have grown.
     *
     * <p>Either append whole sequences with {@link #addSequence}, or stream one sequence with
     * {@link #addEvent} calls closed by {@link #endSequence(int)}. A builder made with {@code
     * denseDim > 0} takes the overloads with features, and only those, so no event can silently
     * lack them. Likewise a builder made with {@code userFeatureSlots > 0} closes every sequence
     * with {@link #endSequence(int, long[], int)}, its keys included. Any other column is filled
     * with {@link #set} after the event's {@code addEvent} (a per-event column) or before the
     * sequence's {@code endSequence} (a per-sequence column); a row not set is zero.
     */
    public static final class Builder {
        private int[] offsets = new int[17];
        private int[] items = new int[256];
        private int[] actions = new int[256];
        private long[] timestamps = new long[256];
        private int[] firstTarget = new int[17];
        private final List<ColumnBuffer> buffers = new ArrayList<>();
        private final ColumnBuffer dense;
        private final ColumnBuffer userKeys;
        private final int denseDim;
        private final int userFeatureSlots;
        private int size;
        private int events;

        private Builder(List<FeatureColumn> columns) {
            ColumnBuffer denseBuffer = null;
            ColumnBuffer userBuffer = null;
            for (FeatureColumn column : columns) {
                if (isEventIdentity(column.name())
                        || buffers.stream().anyMatch(b -> b.column().name().equals(column.name()))) {
                    throw new IllegalArgumentException("batch column " + column.name() + " is given twice");
                }
                ColumnBuffer buffer = new ColumnBuffer(column, column.scope() == Scope.EVENT ? 256 : 17);
                buffers.add(buffer);
                if (column.equals(FeatureColumn.dense(column.width()))) {
                    denseBuffer = buffer;
                } else if (column.equals(FeatureColumn.userFeatures(column.width()))) {
                    userBuffer = buffer;
                }
            }
            this.dense = denseBuffer;
            this.userKeys = userBuffer;
            this.denseDim = dense == null ? 0 : dense.column().width();
            this.userFeatureSlots = userKeys == null ? 0 : userKeys.column().width();
        }

        /** @return user-feature keys per sequence (0 = none) */
        public int userFeatureSlots() {
            return userFeatureSlots;
        }

        /** @return dense features per event (0 = none) */
        public int denseDim() {
            return denseDim;
        }

        /**
         * Appends one event to the open sequence.
         *
         * @param item dense item index ({@code >= 1})
         * @param action action bitmask ({@code >= 0})
         * @param epochSeconds event time ({@code >= 0})
         * @return this
         * @throws IllegalArgumentException on an invalid value
         * @throws IllegalStateException if this builder was made with dense features
         */
        public Builder addEvent(int item, int action, long epochSeconds) {
            if (denseDim > 0) {
                throw new IllegalStateException("this builder packs denseDim=" + denseDim
                        + " features per event: use addEvent(item, action, epochSeconds, features, from)");
            }
            return append(item, action, epochSeconds);
        }

        /**
         * Appends one event with its dense features to the open sequence.
         *
         * @param item dense item index ({@code >= 1})
         * @param action action bitmask ({@code >= 0})
         * @param epochSeconds event time ({@code >= 0})
         * @param features source of the event's features
         * @param from index of the first of its {@code denseDim} features in {@code features}
         * @return this
         * @throws IllegalArgumentException on an invalid value, e.g. a non-finite feature
         * @throws IllegalStateException if this builder was made without dense features
         */
        public Builder addEvent(int item, int action, long epochSeconds, float[] features, int from) {
            if (denseDim == 0) {
                throw new IllegalStateException(
                        "this builder packs no dense features: use PackedBatch.builder(denseDim)");
            }
            for (int f = 0; f < denseDim; f++) {
                checkDense(events, f, features[from + f]);
            }
            append(item, action, epochSeconds);
            System.arraycopy(features, from, dense.array(), (events - 1) * denseDim, denseDim);
            return this;
        }

        private Builder append(int item, int action, long epochSeconds) {
            checkEvent(events, item, action, epochSeconds);
            ensureEvents(events + 1);
            if (events == offsets[size]) {
                ensureSequences(size + 1);
                for (ColumnBuffer b : buffers) {
                    if (b.column().scope() == Scope.SEQUENCE) {
                        b.clearRows(size, 1);
                    }
                }
            }
            items[events] = item;
            actions[events] = action;
            timestamps[events] = epochSeconds;
            for (ColumnBuffer b : buffers) {
                if (b.column().scope() == Scope.EVENT) {
                    b.clearRows(events, 1);
                }
            }
            events++;
            return this;
        }

        /**
         * Sets the last added event's row of a per-event column, or the open sequence's row of a
         * per-sequence column.
         *
         * @param column the column's name
         * @param source an array of the column's element type
         * @param from index of the row's first value in {@code source}
         * @return this
         * @throws IllegalArgumentException if the builder has no such column, the source is of
         *     another type or too short, or a float is not finite
         * @throws IllegalStateException if no event has been added to the open sequence
         */
        public Builder set(String column, Object source, int from) {
            ColumnBuffer buffer = buffer(column);
            if (events == offsets[size]) {
                throw new IllegalStateException("set(" + column + ") needs an event of the open sequence first");
            }
            int row = buffer.column().scope() == Scope.EVENT ? events - 1 : size;
            buffer.setRow(row, source, from);
            return this;
        }

        private ColumnBuffer buffer(String column) {
            for (ColumnBuffer b : buffers) {
                if (b.column().name().equals(column)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("this builder packs no column " + column);
        }

        /**
         * Closes the sequence made of the events added since the previous sequence ended.
         *
         * @param firstTargetPosition the first position whose next item is a target; {@code
         *     length-1} trains nothing (inference)
         * @return this
         * @throws IllegalArgumentException if the sequence is empty or the position is out of
         *     range
         * @throws IllegalStateException if this builder was made with user features
         */
        public Builder endSequence(int firstTargetPosition) {
            if (userFeatureSlots > 0) {
                throw new IllegalStateException("this builder packs userFeatureSlots=" + userFeatureSlots
                        + " keys per sequence: use endSequence(firstTargetPosition, userFeatures, from)");
            }
            return close(firstTargetPosition);
        }

        /**
         * Closes the open sequence with its user-feature keys.
         *
         * @param firstTargetPosition see {@link #endSequence(int)}
         * @param userFeatures source of the sequence's keys; {@link #NO_USER_FEATURE} marks an
         *     empty slot
         * @param from index of the first of its {@code userFeatureSlots} keys in {@code
         *     userFeatures}
         * @return this
         * @throws IllegalArgumentException as {@link #endSequence(int)}
         * @throws IllegalStateException if this builder was made without user features
         */
        public Builder endSequence(int firstTargetPosition, long[] userFeatures, int from) {
            if (userFeatureSlots == 0) {
                throw new IllegalStateException(
                        "this builder packs no user features: use PackedBatch.builder(denseDim, userFeatureSlots)");
            }
            if (from < 0 || from + userFeatureSlots > userFeatures.length) {
                throw new IllegalArgumentException("sequence " + size + " needs userFeatureSlots=" + userFeatureSlots
                        + " keys from index " + from + " of an array of " + userFeatures.length);
            }
            close(firstTargetPosition);
            System.arraycopy(userFeatures, from, userKeys.array(), (size - 1) * userFeatureSlots, userFeatureSlots);
            return this;
        }

        private Builder close(int firstTargetPosition) {
            int len = events - offsets[size];
            if (len < 1) {
                throw new IllegalArgumentException(
                        "sequence " + size + " has no events; call addEvent before endSequence");
            }
            if (firstTargetPosition < 0 || firstTargetPosition > len - 1) {
                // Roll back the open sequence so the builder stays consistent for the caller.
                events = offsets[size];
                throw new IllegalArgumentException("batch.firstTarget of sequence " + size + " must be in [0, "
                        + (len - 1) + "], got " + firstTargetPosition);
            }
            ensureSequences(size + 1);
            firstTarget[size] = firstTargetPosition;
            size++;
            offsets[size] = events;
            return this;
        }

        /**
         * Appends a whole sequence from slices of caller arrays.
         *
         * @param itemSrc item indices
         * @param actionSrc actions
         * @param tsSrc epoch seconds
         * @param from first index in the source arrays
         * @param length number of events
         * @param firstTargetPosition see {@link #endSequence(int)}
         * @return this
         * @throws IllegalStateException if this builder was made with user features (stream the
         *     events and close with {@link #endSequence(int, long[], int)})
         */
        public Builder addSequence(
                int[] itemSrc, int[] actionSrc, long[] tsSrc, int from, int length, int firstTargetPosition) {
            if (length < 1) {
                throw new IllegalArgumentException(
                        "sequence " + size + " must have at least one event, got length " + length);
            }
            if (events != offsets[size]) {
                throw new IllegalStateException("a sequence is open (addEvent without endSequence)");
            }
            requireNoUserFeatures();
            for (int i = 0; i < length; i++) {
                addEvent(itemSrc[from + i], actionSrc[from + i], tsSrc[from + i]);
            }
            return endSequence(firstTargetPosition);
        }

        /**
         * Appends a whole sequence with dense features from slices of caller arrays.
         *
         * @param itemSrc item indices
         * @param actionSrc actions
         * @param tsSrc epoch seconds
         * @param denseSrc dense features, {@code denseDim} per source event, event-major
         * @param from first index in the source arrays (in events)
         * @param length number of events
         * @param firstTargetPosition see {@link #endSequence(int)}
         * @return this
         * @throws IllegalStateException if this builder was made with user features (stream the
         *     events and close with {@link #endSequence(int, long[], int)})
         */
        public Builder addSequence(
                int[] itemSrc,
                int[] actionSrc,
                long[] tsSrc,
                float[] denseSrc,
                int from,
                int length,
                int firstTargetPosition) {
            if (length < 1) {
                throw new IllegalArgumentException(
                        "sequence " + size + " must have at least one event, got length " + length);
            }
            if (events != offsets[size]) {
                throw new IllegalStateException("a sequence is open (addEvent without endSequence)");
            }
            requireNoUserFeatures();
            for (int i = 0; i < length; i++) {
                addEvent(itemSrc[from + i], actionSrc[from + i], tsSrc[from + i], denseSrc, (from + i) * denseDim);
            }
            return endSequence(firstTargetPosition);
        }

        private void requireNoUserFeatures() {
            // checked before any event is added, so a refused call leaves no half sequence behind
            if (userFeatureSlots > 0) {
                throw new IllegalStateException(
                        "this builder packs userFeatureSlots=" + userFeatureSlots
                                + " keys per sequence: add events with addEvent and close with endSequence(firstTargetPosition, userFeatures, from)");
            }
        }

        /** @return sequences closed so far */
        public int size() {
            return size;
        }

        /** @return events of closed and open sequences */
        public int events() {
            return events;
        }

        /** Forgets all sequences but keeps the grown arrays. @return this */
        public Builder reset() {
            size = 0;
            events = 0;
            offsets[0] = 0;
            return this;
        }

        /**
         * Copies the closed sequences into an immutable batch; the builder stays usable.
         *
         * @return the batch
         * @throws IllegalStateException if a sequence is still open
         */
        public PackedBatch build() {
            if (events != offsets[size]) {
                throw new IllegalStateException("sequence " + size + " is open: call endSequence before build");
            }
            Map<String, ColumnValues> columns = eventColumns(
                    Arrays.copyOf(items, events), Arrays.copyOf(actions, events), Arrays.copyOf(timestamps, events));
            for (ColumnBuffer b : buffers) {
                columns.put(b.column().name(), b.copy(b.column().scope() == Scope.EVENT ? events : size));
            }
            return new PackedBatch(Arrays.copyOf(offsets, size + 1), Arrays.copyOf(firstTarget, size), columns);
        }

        private void ensureEvents(int needed) {
            if (needed > items.length) {
                int cap = Math.max(needed, items.length * 2);
                items = Arrays.copyOf(items, cap);
                actions = Arrays.copyOf(actions, cap);
                timestamps = Arrays.copyOf(timestamps, cap);
                for (ColumnBuffer b : buffers) {
                    if (b.column().scope() == Scope.EVENT) {
                        b.ensureRows(cap);
                    }
                }
            }
        }

        private void ensureSequences(int needed) {
            if (needed + 1 > offsets.length) {
                // firstTarget keeps the same length as offsets, so one check covers both
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
                firstTarget = Arrays.copyOf(firstTarget, offsets.length);
                for (ColumnBuffer b : buffers) {
                    if (b.column().scope() == Scope.SEQUENCE) {
                        b.ensureRows(offsets.length);
                    }
                }
            }
        }
    }
}
