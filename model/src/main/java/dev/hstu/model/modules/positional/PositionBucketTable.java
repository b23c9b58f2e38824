package dev.hstu.model.modules.positional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The relative-position bucket of every (query, key) pair up to {@code maxSeqLen}, built once per device and
 * sliced for each batch. A bucket depends on the distance {@code i - j} alone, so the top-left {@code L x L} block
 * is exactly the matrix of a batch padded to {@code L}. Rebuilding that matrix in every step cost about 20 ms of
 * host time and an 8 MB host-to-device copy at {@code L = 1024}.
 *
 * <p>The table belongs to the manager it was first built on (the model's) and is rebuilt if that manager closes or
 * a batch arrives on another device. Not thread-safe, like the model that owns it.
 */
public final class PositionBucketTable {

    private final int buckets;
    private final int maxSeqLen;
    private NDArray table;

    /**
     * @param buckets position-distance buckets
     * @param maxSeqLen longest sequence; the table holds {@code maxSeqLen^2} int64 values
     */
    public PositionBucketTable(int buckets, int maxSeqLen) {
        this.buckets = buckets;
        this.maxSeqLen = maxSeqLen;
    }

    /**
     * @param manager the manager of the batch (its device is where the slice is needed)
     * @param length padded length {@code L <= maxSeqLen}
     * @return {@code [L, L]} int64 buckets of {@code max(i - j, 0)}, a view freed with the caller's scope
     */
    public NDArray slice(NDManager manager, int length) {
        return table(manager).get(new NDIndex("0:" + length + ", 0:" + length));
    }

    /**
     * @param manager the manager of the batch
     * @param position a row {@code i < maxSeqLen}
     * @return {@code [1, i + 1]} int64 buckets of {@code i - j} for {@code j = 0..i}: one new event's row
     */
    public NDArray row(NDManager manager, int position) {
        return table(manager).get(new NDIndex(position + ":" + (position + 1) + ", 0:" + (position + 1)));
    }

    /**
     * The buckets between events at given positions, for rows whose positions are not {@code 0..L-1} (ranking
     * candidates share one position).
     *
     * @param positions {@code [B, L]} int64 positions, each below {@code maxSeqLen}
     * @return {@code [B, L, L]} int64 bucket of {@code max(positions[b, i] - positions[b, j], 0)}
     */
    public NDArray gather(NDArray positions) {
        long l = positions.getShape().get(1);
        NDArray flat = positions.mul((long) maxSeqLen).reshape(-1, l, 1).add(positions.reshape(-1, 1, l));
        return table(positions.getManager()).flatten().take(flat);
    }

    private NDArray table(NDManager manager) {
        if (table == null || table.isReleased() || !table.getDevice().equals(manager.getDevice())) {
            table = manager.create(
                    PositionBuckets.matrix(maxSeqLen, buckets, maxSeqLen), new Shape(maxSeqLen, maxSeqLen));
            // outlives the step's NDScope: it lives as long as its manager
            NDScope.unregister(table);
        }
        return table;
    }
}
