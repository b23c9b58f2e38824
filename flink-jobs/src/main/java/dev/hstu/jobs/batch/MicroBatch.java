package dev.hstu.jobs.batch;

import java.util.Arrays;

/**
 * A packed micro-batch of user sequences as jagged arrays (values + offsets), in external item ids so that it can
 * travel to a trainer that owns the item vocabulary: sequence {@code s} is events
 * {@code offsets[s] .. offsets[s+1]-1}; its next-item targets start at position {@code firstTarget[s]}. Event
 * {@code e}'s dense features (the CTR channels) are {@code features[e*featureDim .. (e+1)*featureDim-1]}; sequence
 * {@code s}'s hashed user-feature keys are {@code userFeatures[s*userFeatureSlots .. (s+1)*userFeatureSlots-1]},
 * 0 in empty slots.
 */
public record MicroBatch(
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

    /** A batch without dense or user features. */
    public MicroBatch(
            long[] userIds,
            int[] offsets,
            long[] items,
            int[] actions,
            long[] timestampsMs,
            int[] firstTarget,
            long createdAtMs) {
        this(userIds, offsets, items, actions, timestampsMs, new float[0], 0, firstTarget, createdAtMs);
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
                new long[0],
                0);
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
        if (featureDim < 0 || features.length != (long) events * featureDim) {
            throw new IllegalArgumentException("micro-batch has " + features.length + " feature values for " + events
                    + " events of " + featureDim + " features each");
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new IllegalArgumentException("micro-batch feature " + (i % featureDim) + " of event "
                        + (i / featureDim) + " is " + features[i]);
            }
        }
        if (userFeatureSlots < 0 || userFeatures.length != (long) n * userFeatureSlots) {
            throw new IllegalArgumentException("micro-batch has " + userFeatures.length + " user-feature keys for " + n
                    + " sequences of " + userFeatureSlots + " slots each");
        }
        if (n > 0 && (offsets[0] != 0 || offsets[n] != events)) {
            throw new IllegalArgumentException(
                    "micro-batch offsets must run from 0 to " + events + ", got " + offsets[0] + ".." + offsets[n]);
        }
        for (int s = 0; s < n; s++) {
            int len = offsets[s + 1] - offsets[s];
            if (len < 1) {
                throw new IllegalArgumentException("micro-batch sequence " + s + " is empty");
            }
            if (firstTarget[s] < 0 || firstTarget[s] >= len) {
                throw new IllegalArgumentException("micro-batch sequence " + s + " has firstTarget " + firstTarget[s]
                        + " outside [0, " + (len - 1) + "]");
            }
        }
        return this;
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
                && featureDim == b.featureDim
                && Arrays.equals(features, b.features)
                && Arrays.equals(firstTarget, b.firstTarget)
                && userFeatureSlots == b.userFeatureSlots
                && Arrays.equals(userFeatures, b.userFeatures);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items) * 31 + Arrays.hashCode(userIds);
    }

    @Override
    public String toString() {
        return "MicroBatch{" + size() + " sequences, " + events() + " events, " + featureDim + " features/event, "
                + userFeatureSlots + " user-feature slots}";
    }
}
