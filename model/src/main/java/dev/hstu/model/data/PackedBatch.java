package dev.hstu.model.data;

import java.util.Arrays;

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
 */
public final class PackedBatch {

    /** The key of an empty user-feature slot. */
    public static final long NO_USER_FEATURE = 0L;

    private final int[] offsets;
    private final int[] items;
    private final int[] actions;
    private final long[] timestamps;
    private final int[] firstTarget;
    private final float[] denseFeatures;
    private final int denseDim;
    private final long[] userFeatures;
    private final int userFeatureSlots;

    private PackedBatch(
            int[] offsets,
            int[] items,
            int[] actions,
            long[] timestamps,
            int[] firstTarget,
            float[] denseFeatures,
            int denseDim,
            long[] userFeatures,
            int userFeatureSlots) {
        this.offsets = offsets;
        this.items = items;
        this.actions = actions;
        this.timestamps = timestamps;
        this.firstTarget = firstTarget;
        this.denseFeatures = denseFeatures;
        this.denseDim = denseDim;
        this.userFeatures = userFeatures;
        this.userFeatureSlots = userFeatureSlots;
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
        return new PackedBatch(offsets, items, actions, timestamps, firstTarget, null, 0, null, 0);
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
        return new PackedBatch(offsets, items, actions, timestamps, firstTarget, denseFeatures, denseDim, null, 0);
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
        return new PackedBatch(offsets, items, actions, timestamps, firstTarget, denseFeatures, denseDim, keys, slots);
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

    /** @return dense features per event, 0 when the batch carries none */
    public int denseDim() {
        return denseDim;
    }

    /**
     * @return {@code totalEvents() * denseDim()} floats, event {@code i}'s features at {@code
     *     [i*denseDim, (i+1)*denseDim)}; null when {@code denseDim() == 0}
     */
    public float[] denseFeatures() {
        return denseFeatures;
    }

    /** @return user-feature keys per sequence, 0 when the batch carries none */
    public int userFeatureSlots() {
        return userFeatureSlots;
    }

    /**
     * @return {@code size() * userFeatureSlots()} keys, sequence {@code s}'s at {@code
     *     [s*slots, (s+1)*slots)}, {@link #NO_USER_FEATURE} in empty slots; null when {@code
     *     userFeatureSlots() == 0}
     */
    public long[] userFeatures() {
        return userFeatures;
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
        return new Builder(0, 0);
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
        return new Builder(denseDim, userFeatureSlots);
    }

    /**
     * Appends sequences into growable primitive arrays; reusable after {@link #reset()} so a
     * packing operator allocates nothing per event once the arrays have grown.
     *
     * <p>Either append whole sequences with {@link #addSequence}, or stream one sequence with
     * {@link #addEvent} calls closed by {@link #endSequence(int)}. A builder made with {@code
     * denseDim > 0} takes the overloads with features, and only those, so no event can silently
     * lack them. Likewise a builder made with {@code userFeatureSlots > 0} closes every sequence
     * with {@link #endSequence(int, long[], int)}, its keys included.
     */
    public static final class Builder {
        private int[] offsets = new int[17];
        private int[] items = new int[256];
        private int[] actions = new int[256];
        private long[] timestamps = new long[256];
        private int[] firstTarget = new int[17];
        private final int denseDim;
        private float[] dense;
        private final int userFeatureSlots;
        private long[] userKeys;
        private int size;
        private int events;

        private Builder(int denseDim, int userFeatureSlots) {
            this.denseDim = denseDim;
            this.dense = new float[denseDim * 256];
            this.userFeatureSlots = userFeatureSlots;
            this.userKeys = new long[userFeatureSlots * 17];
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
            System.arraycopy(features, from, dense, (events - 1) * denseDim, denseDim);
            return this;
        }

        private Builder append(int item, int action, long epochSeconds) {
            checkEvent(events, item, action, epochSeconds);
            ensureEvents(events + 1);
            items[events] = item;
            actions[events] = action;
            timestamps[events] = epochSeconds;
            events++;
            return this;
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
            if (size * userFeatureSlots > userKeys.length) {
                userKeys = Arrays.copyOf(userKeys, offsets.length * userFeatureSlots);
            }
            System.arraycopy(userFeatures, from, userKeys, (size - 1) * userFeatureSlots, userFeatureSlots);
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
            if (size + 2 > offsets.length) {
                // firstTarget keeps the same length as offsets, so one check covers both
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
                firstTarget = Arrays.copyOf(firstTarget, offsets.length);
            }
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
            return new PackedBatch(
                    Arrays.copyOf(offsets, size + 1),
                    Arrays.copyOf(items, events),
                    Arrays.copyOf(actions, events),
                    Arrays.copyOf(timestamps, events),
                    Arrays.copyOf(firstTarget, size),
                    denseDim > 0 ? Arrays.copyOf(dense, events * denseDim) : null,
                    denseDim,
                    userFeatureSlots > 0 ? Arrays.copyOf(userKeys, size * userFeatureSlots) : null,
                    userFeatureSlots);
        }

        private void ensureEvents(int needed) {
            if (needed > items.length) {
                int cap = Math.max(needed, items.length * 2);
                items = Arrays.copyOf(items, cap);
                actions = Arrays.copyOf(actions, cap);
                timestamps = Arrays.copyOf(timestamps, cap);
                dense = Arrays.copyOf(dense, cap * denseDim);
            }
        }
    }
}
