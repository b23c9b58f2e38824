package dev.hstu.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.modules.features.InputFeatures;

/**
 * A {@link PackedBatch} as left-aligned padded int64 tensors on a device, padded only to the
 * longest sequence of the batch. Timestamps are made relative to each sequence's first event
 * (only gaps matter to the model).
 *
 * @param items {@code [B, L]} item rows, 0 at padding
 * @param actions {@code [B, L]} action bitmasks, 0 at padding
 * @param timestamps {@code [B, L]} seconds since the sequence's first event, 0 at padding
 * @param lengths {@code [B]} valid length of each row
 * @param maxLength {@code L}
 * @param hourOfWeek {@code [B, L]} UTC {@code weekday * 24 + hour} of each event (Monday = 0), 0
 *     at padding; computed from the absolute time, which {@code timestamps} no longer holds
 * @param denseFeatures {@code [B, L, denseFeatureDim]} float32 per-event dense features, 0 at
 *     padding; null when the model has {@code denseFeatureDim = 0} (a batch's features are then
 *     ignored)
 * @param userFeatureRows {@code [B, userFeatureSlots]} int64 rows of the hashed user-feature table
 *     ({@link UserFeatureHashing}), 0 in empty slots; null when the model has {@code
 *     userFeatureSlots = 0}
 * @param userFeatureWeights {@code [B, userFeatureSlots]} float32 {@code 1/(keys of the user)} at
 *     filled slots, 0 at empty ones: the weights of the mean of the user's key embeddings, computed
 *     here rather than on the device where they would cost several small ops per step
 */
public record PaddedSequences(
        NDArray items,
        NDArray actions,
        NDArray timestamps,
        NDArray lengths,
        int maxLength,
        NDArray hourOfWeek,
        NDArray denseFeatures,
        NDArray userFeatureRows,
        NDArray userFeatureWeights) {

    /**
     * Padded inputs without user features.
     *
     * @param items see the record
     * @param actions see the record
     * @param timestamps see the record
     * @param lengths see the record
     * @param maxLength see the record
     * @param hourOfWeek see the record
     * @param denseFeatures see the record
     */
    public PaddedSequences(
            NDArray items,
            NDArray actions,
            NDArray timestamps,
            NDArray lengths,
            int maxLength,
            NDArray hourOfWeek,
            NDArray denseFeatures) {
        this(items, actions, timestamps, lengths, maxLength, hourOfWeek, denseFeatures, null, null);
    }

    /**
     * Padded inputs without dense features.
     *
     * @param items see the record
     * @param actions see the record
     * @param timestamps see the record
     * @param lengths see the record
     * @param maxLength see the record
     * @param hourOfWeek see the record
     */
    public PaddedSequences(
            NDArray items, NDArray actions, NDArray timestamps, NDArray lengths, int maxLength, NDArray hourOfWeek) {
        this(items, actions, timestamps, lengths, maxLength, hourOfWeek, null);
    }

    private static final long SECONDS_PER_DAY = 86_400L;
    /** 1970-01-01 was a Thursday: day 0 is weekday 3 when Monday is 0. */
    private static final int EPOCH_WEEKDAY = 3;

    /**
     * @param epochSeconds absolute event time
     * @return UTC {@code weekday * 24 + hour}, Monday 00:00 = 0
     */
    public static int hourOfWeek(long epochSeconds) {
        long day = Math.floorDiv(epochSeconds, SECONDS_PER_DAY);
        int weekday = (int) Math.floorMod(day + EPOCH_WEEKDAY, 7L);
        int hour = (int) (Math.floorMod(epochSeconds, SECONDS_PER_DAY) / 3600);
        return weekday * 24 + hour;
    }

    /**
     * Checks the batch against the model's limits and copies it to the manager's device in one
     * host-to-device transfer (the integer inputs travel as one array and are split there).
     *
     * @param batch jagged sequences
     * @param config model configuration (item table size, action space, longest sequence)
     * @param manager where the tensors are created
     * @return the padded tensors
     * @throws IllegalArgumentException naming the sequence, position and value that does not fit
     */
    public static PaddedSequences of(PackedBatch batch, HstuConfig config, NDManager manager) {
        checkFits(batch, config);
        int b = batch.size();
        int l = batch.maxLength();
        int grid = b * l;
        int userSlots = config.userFeatureSlots();
        // [items | actions | timestamps | hours] as B x L blocks, then the B lengths [, then B x K user rows]
        long[] flat = new long[4 * grid + b + b * userSlots];
        int[] offsets = batch.offsets();
        for (int s = 0; s < b; s++) {
            int start = offsets[s];
            int len = offsets[s + 1] - start;
            flat[4 * grid + s] = len;
            long origin = batch.timestamps()[start];
            for (int p = 0; p < len; p++) {
                int at = s * l + p;
                long t = batch.timestamps()[start + p];
                flat[at] = batch.items()[start + p];
                flat[grid + at] = batch.actions()[start + p];
                flat[2 * grid + at] = t - origin;
                flat[3 * grid + at] = hourOfWeek(t);
            }
        }
        float[] userWeights =
                userSlots > 0 ? userFeatureRows(batch, config.userFeatureBuckets(), flat, 4 * grid + b) : null;
        NDArray all = manager.create(flat);
        NDArray blocks = all.get(new NDIndex("0:" + 4 * grid)).reshape(4, b, l);
        return new PaddedSequences(
                blocks.get(0),
                blocks.get(1),
                blocks.get(2),
                all.get(new NDIndex(4 * grid + ":" + (4 * grid + b))),
                l,
                blocks.get(3),
                config.denseFeatureDim() > 0 ? paddedDense(batch, l, manager) : null,
                userSlots > 0 ? all.get(new NDIndex((4 * grid + b) + ":")).reshape(b, userSlots) : null,
                userSlots > 0 ? manager.create(userWeights, new Shape(b, userSlots)) : null);
    }

    /**
     * Writes each sequence's table rows into {@code rows} from {@code at} on.
     *
     * @return the mean-pooling weight of each slot
     */
    private static float[] userFeatureRows(PackedBatch batch, int buckets, long[] rows, int at) {
        int slots = batch.userFeatureSlots();
        long[] keys = batch.userFeatures();
        float[] weights = new float[keys.length];
        for (int s = 0; s < batch.size(); s++) {
            int filled = 0;
            for (int k = s * slots; k < (s + 1) * slots; k++) {
                rows[at + k] = UserFeatureHashing.row(keys[k], buckets);
                filled += keys[k] == PackedBatch.NO_USER_FEATURE ? 0 : 1;
            }
            for (int k = s * slots; k < (s + 1) * slots && filled > 0; k++) {
                weights[k] = keys[k] == PackedBatch.NO_USER_FEATURE ? 0f : 1f / filled;
            }
        }
        return weights;
    }

    private static NDArray paddedDense(PackedBatch batch, int l, NDManager manager) {
        int dim = batch.denseDim();
        float[] padded = new float[batch.size() * l * dim];
        int[] offsets = batch.offsets();
        for (int s = 0; s < batch.size(); s++) {
            // an event's features are contiguous in both layouts: one copy per sequence
            System.arraycopy(batch.denseFeatures(), offsets[s] * dim, padded, s * l * dim, batch.length(s) * dim);
        }
        return manager.create(padded, new Shape(batch.size(), l, dim));
    }

    /**
     * @param batch jagged sequences
     * @param config model configuration
     * @throws IllegalArgumentException if an item, action, length, the dense-feature width or the
     *     user-feature slot count does not fit the model
     */
    public static void checkFits(PackedBatch batch, HstuConfig config) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("batch has no sequences");
        }
        if (config.denseFeatureDim() > 0 && batch.denseDim() != config.denseFeatureDim()) {
            throw new IllegalArgumentException("batch has " + batch.denseDim()
                    + " dense features per event but model.denseFeatureDim=" + config.denseFeatureDim()
                    + "; pack the batch with PackedBatch.builder(" + config.denseFeatureDim() + ")");
        }
        if (config.userFeatureSlots() > 0 && batch.userFeatureSlots() != config.userFeatureSlots()) {
            throw new IllegalArgumentException("batch has " + batch.userFeatureSlots()
                    + " user-feature slots per sequence but model.userFeatureSlots=" + config.userFeatureSlots()
                    + "; pack the batch with PackedBatch.builder(denseDim, " + config.userFeatureSlots() + ")");
        }
        int[] offsets = batch.offsets();
        for (int s = 0; s < batch.size(); s++) {
            int len = batch.length(s);
            if (len > config.maxSeqLen()) {
                throw new IllegalArgumentException(
                        "sequence " + s + " has " + len + " events, more than model.maxSeqLen=" + config.maxSeqLen()
                                + "; keep only the most recent maxSeqLen events");
            }
            for (int i = offsets[s]; i < offsets[s + 1]; i++) {
                int item = batch.items()[i];
                if (item >= config.itemCapacity()) {
                    throw new IllegalArgumentException("batch.items[" + i + "] (sequence " + s + ") = " + item
                            + " is outside the item table of model.itemCapacity=" + config.itemCapacity());
                }
                int action = batch.actions()[i];
                if (action >= config.numActions()) {
                    throw new IllegalArgumentException("batch.actions[" + i + "] (sequence " + s + ") = " + action
                            + " is outside model.numActions=" + config.numActions());
                }
            }
        }
    }

    /** @return the inputs the input preprocessor reads next to the item embeddings */
    public InputFeatures inputFeatures() {
        return new InputFeatures(
                items, actions, timestamps, hourOfWeek, denseFeatures, userFeatureRows, userFeatureWeights);
    }

    /**
     * @return the tensors in the order {@code HstuEncoder} takes them: the five always present,
     *     then those the model's config turns on
     */
    public NDList toNDList() {
        NDList list = new NDList(items, actions, timestamps, lengths, hourOfWeek);
        if (denseFeatures != null) {
            list.add(denseFeatures);
        }
        if (userFeatureRows != null) {
            list.add(userFeatureRows);
            list.add(userFeatureWeights);
        }
        return list;
    }
}
