package dev.hstu.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.config.HstuConfig;

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
 */
public record PaddedSequences(NDArray items, NDArray actions, NDArray timestamps, NDArray lengths, int maxLength,
        NDArray hourOfWeek) {

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
     * Checks the batch against the model's limits and copies it to the manager's device.
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
        long[] items = new long[b * l];
        long[] actions = new long[b * l];
        long[] timestamps = new long[b * l];
        long[] lengths = new long[b];
        long[] hours = new long[b * l];
        int[] offsets = batch.offsets();
        for (int s = 0; s < b; s++) {
            int start = offsets[s];
            int len = offsets[s + 1] - start;
            lengths[s] = len;
            long origin = batch.timestamps()[start];
            for (int p = 0; p < len; p++) {
                items[s * l + p] = batch.items()[start + p];
                actions[s * l + p] = batch.actions()[start + p];
                timestamps[s * l + p] = batch.timestamps()[start + p] - origin;
                hours[s * l + p] = hourOfWeek(batch.timestamps()[start + p]);
            }
        }
        Shape shape = new Shape(b, l);
        return new PaddedSequences(
                manager.create(items, shape),
                manager.create(actions, shape),
                manager.create(timestamps, shape),
                manager.create(lengths),
                l,
                manager.create(hours, shape));
    }

    /**
     * @param batch jagged sequences
     * @param config model configuration
     * @throws IllegalArgumentException if an item, action or length does not fit the model
     */
    public static void checkFits(PackedBatch batch, HstuConfig config) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("batch has no sequences");
        }
        int[] offsets = batch.offsets();
        for (int s = 0; s < batch.size(); s++) {
            int len = batch.length(s);
            if (len > config.maxSeqLen()) {
                throw new IllegalArgumentException("sequence " + s + " has " + len + " events, more than model.maxSeqLen="
                        + config.maxSeqLen() + "; keep only the most recent maxSeqLen events");
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

    /** @return the tensors in the order {@code HstuEncoder} takes them */
    public NDList toNDList() {
        return new NDList(items, actions, timestamps, lengths, hourOfWeek);
    }
}
