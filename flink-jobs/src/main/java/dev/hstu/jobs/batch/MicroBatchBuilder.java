package dev.hstu.jobs.batch;

import dev.hstu.jobs.sequence.TrainingSequence;
import java.util.Arrays;

/**
 * Appends training sequences into growable primitive arrays, reused across batches, so packing costs no object per
 * event; only {@link #build} allocates, once per batch.
 */
public final class MicroBatchBuilder {

    private final int featureDim;
    private final int userFeatureSlots;
    private long[] userFeatures;
    private long truncatedUserFeatures;
    private long[] userIds = new long[64];
    private int[] offsets = new int[65];
    private int[] firstTarget = new int[64];
    private long[] items = new long[4096];
    private int[] actions = new int[4096];
    private long[] timestampsMs = new long[4096];
    private float[] features;
    private int size;
    private int events;

    /** A builder of batches without dense features. */
    public MicroBatchBuilder() {
        this(0);
    }

    /**
     * @param featureDim dense features per event in the batches built (the job's CTR channels; 0 for none).
     *                   Sequences from state written under another feature configuration contribute zeros, so a
     *                   job restored after the features were switched on keeps running.
     */
    public MicroBatchBuilder(int featureDim) {
        this(featureDim, 0);
    }

    /**
     * @param featureDim       as above
     * @param userFeatureSlots user-feature keys per sequence ({@code model.features.userFeatures.slots}; 0 for none): a user
     *                         with more keeps the first ones in key order (counted by
     *                         {@link #truncatedUserFeatures()}), one with fewer gets empty slots
     */
    public MicroBatchBuilder(int featureDim, int userFeatureSlots) {
        if (featureDim < 0 || userFeatureSlots < 0) {
            throw new IllegalArgumentException(
                    "featureDim and userFeatureSlots must be >= 0, got " + featureDim + " and " + userFeatureSlots);
        }
        this.featureDim = featureDim;
        this.features = new float[4096 * featureDim];
        this.userFeatureSlots = userFeatureSlots;
        this.userFeatures = new long[64 * userFeatureSlots];
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
            userFeatures = Arrays.copyOf(userFeatures, userIds.length * userFeatureSlots);
        }
        if (events + len > items.length) {
            int capacity = Math.max(items.length * 2, events + len);
            items = Arrays.copyOf(items, capacity);
            actions = Arrays.copyOf(actions, capacity);
            timestampsMs = Arrays.copyOf(timestampsMs, capacity);
            features = Arrays.copyOf(features, capacity * featureDim);
        }
        System.arraycopy(sequence.items(), from, items, events, len);
        System.arraycopy(sequence.actions(), from, actions, events, len);
        System.arraycopy(sequence.timestampsMs(), from, timestampsMs, events, len);
        if (featureDim > 0) {
            if (sequence.featureDim() == featureDim) {
                System.arraycopy(
                        sequence.features(), from * featureDim, features, events * featureDim, len * featureDim);
            } else {
                Arrays.fill(features, events * featureDim, (events + len) * featureDim, 0f);
            }
        }
        if (userFeatureSlots > 0) {
            long[] keys = sequence.userFeatures();
            int kept = Math.min(keys.length, userFeatureSlots);
            System.arraycopy(keys, 0, userFeatures, size * userFeatureSlots, kept);
            Arrays.fill(userFeatures, size * userFeatureSlots + kept, (size + 1) * userFeatureSlots, 0L);
            if (keys.length > userFeatureSlots) {
                truncatedUserFeatures++;
            }
        }
        userIds[size] = sequence.userId();
        firstTarget[size] = Math.max(0, sequence.firstTarget() - from);
        offsets[size] = events;
        events += len;
        size++;
        offsets[size] = events;
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
        MicroBatch batch = new MicroBatch(
                Arrays.copyOf(userIds, size),
                Arrays.copyOf(offsets, size + 1),
                Arrays.copyOf(items, events),
                Arrays.copyOf(actions, events),
                Arrays.copyOf(timestampsMs, events),
                Arrays.copyOf(features, events * featureDim),
                featureDim,
                Arrays.copyOf(firstTarget, size),
                createdAtMs,
                Arrays.copyOf(userFeatures, size * userFeatureSlots),
                userFeatureSlots);
        size = 0;
        events = 0;
        offsets[0] = 0;
        return batch;
    }
}
