package dev.hstu.model.modules.stu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hstu.model.config.AttentionNorm;
import dev.hstu.model.config.StuConfig;
import dev.hstu.model.modules.positional.PositionBucketTable;
import dev.hstu.model.modules.positional.TimeBuckets;

/**
 * What every STU layer of one forward pass shares: the multiplicative attention scale (causal
 * mask x padding mask x {@code 1/n}) and the relative position and time buckets.
 *
 * <p>A ranking batch (one with a per-sequence number of targets, generative-recommenders' {@code num_targets})
 * makes the mask target-aware: the last {@code numTargets} events of a row are candidates, each attending to the
 * history before them and to itself, never to another candidate, and no history event attends to a candidate; every
 * candidate takes the first candidate's position, so its output is the one it would have as the only candidate
 * (M-FALCON: N candidates scored in one pass).
 *
 * @param valid {@code [B, L]} 1 at events, 0 at padding, in the model's float type
 * @param scale {@code [B, 1, L, L]} in the model's float type
 * @param positionBuckets {@code [L, L]} int64, or {@code [B, L, L]} for a ranking batch
 * @param timeBuckets {@code [B, L, L]} int64
 */
public record AttentionStructure(NDArray valid, NDArray scale, NDArray positionBuckets, NDArray timeBuckets) {

    /**
     * Builds the structure of a left-aligned padded batch.
     *
     * @param stu the stack's settings: attention norm and time buckets
     * @param maxSeqLen longest accepted sequence (the MAX_LEN divisor)
     * @param positionTable the position buckets of this model
     * @param lengths {@code [B]} int64 valid length of each row
     * @param timestamps {@code [B, L]} int64 seconds
     * @param dataType float type of the model
     * @return the shared structure, on the device of the inputs
     */
    public static AttentionStructure of(
            StuConfig stu,
            int maxSeqLen,
            PositionBucketTable positionTable,
            NDArray lengths,
            NDArray timestamps,
            DataType dataType) {
        return of(stu, maxSeqLen, positionTable, lengths, timestamps, null, dataType);
    }

    /**
     * Builds the structure of a left-aligned padded batch whose rows may end in ranking candidates.
     *
     * @param stu the stack's settings: attention norm and time buckets
     * @param maxSeqLen longest accepted sequence (the MAX_LEN divisor)
     * @param positionTable the position buckets of this model
     * @param lengths {@code [B]} int64 valid length of each row
     * @param timestamps {@code [B, L]} int64 seconds
     * @param numTargets {@code [B]} int64 candidates at the end of each row; null: none (retrieval)
     * @param dataType float type of the model
     * @return the shared structure, on the device of the inputs
     */
    public static AttentionStructure of(
            StuConfig stu,
            int maxSeqLen,
            PositionBucketTable positionTable,
            NDArray lengths,
            NDArray timestamps,
            NDArray numTargets,
            DataType dataType) {
        if (numTargets != null) {
            return targetAware(stu, maxSeqLen, positionTable, lengths, timestamps, numTargets, dataType);
        }
        NDManager manager = timestamps.getManager();
        int l = (int) timestamps.getShape().get(1);
        NDArray position = manager.arange(0, l, 1, DataType.INT64);
        NDArray valid = position.expandDims(0).lt(lengths.expandDims(1)).toType(dataType, false);
        NDArray causal = position.expandDims(0).lte(position.expandDims(1)).toType(dataType, false); // [i, j] = j <= i
        NDArray perRow = stu.attentionNorm() == AttentionNorm.VALID_KEYS
                // a valid row i of a left-aligned sequence has exactly i + 1 valid causal keys
                ? causal.div(position.add(1).toType(dataType, false).expandDims(1))
                : causal.div((float) maxSeqLen);
        NDArray scale = perRow.expandDims(0)
                .mul(valid.expandDims(2))
                .mul(valid.expandDims(1))
                .expandDims(1);
        NDArray positionBuckets = positionTable.slice(manager, l);
        NDArray timeBuckets = TimeBuckets.pairwise(timestamps, stu.timeBuckets());
        return new AttentionStructure(valid, scale, positionBuckets, timeBuckets);
    }

    private static AttentionStructure targetAware(
            StuConfig stu,
            int maxSeqLen,
            PositionBucketTable positionTable,
            NDArray lengths,
            NDArray timestamps,
            NDArray numTargets,
            DataType dataType) {
        NDManager manager = timestamps.getManager();
        int l = (int) timestamps.getShape().get(1);
        NDArray position = manager.arange(0, l, 1, DataType.INT64);
        NDArray valid = position.expandDims(0).lt(lengths.expandDims(1)).toType(dataType, false);
        NDArray history = lengths.sub(numTargets).expandDims(1); // [B, 1]
        // [B, L]: a candidate sits at the first candidate's position
        NDArray clamped = position.expandDims(0).minimum(history);
        NDArray query = position.reshape(1, l, 1);
        NDArray key = position.reshape(1, 1, l);
        NDArray causal = key.lte(query); // [1, L, L]
        NDArray keyInHistory = key.lt(history.expandDims(2)); // [B, 1, L]
        NDArray allowed =
                causal.logicalAnd(keyInHistory.logicalOr(key.eq(query))).toType(dataType, false);
        NDArray perRow = stu.attentionNorm() == AttentionNorm.VALID_KEYS
                // the history before a row's (clamped) position, plus the row itself
                ? allowed.div(clamped.add(1).toType(dataType, false).expandDims(2))
                : allowed.div((float) maxSeqLen);
        NDArray scale = perRow.mul(valid.expandDims(2)).mul(valid.expandDims(1)).expandDims(1);
        NDArray positionBuckets = positionTable.gather(clamped);
        NDArray timeBuckets = TimeBuckets.pairwise(timestamps, stu.timeBuckets());
        return new AttentionStructure(valid, scale, positionBuckets, timeBuckets);
    }
}
