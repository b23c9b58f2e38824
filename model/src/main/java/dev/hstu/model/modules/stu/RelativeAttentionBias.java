package dev.hstu.model.modules.stu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * HSTU's {@code rab(position, time)}: one learned scalar per (head, position-distance bucket)
 * plus (unless disabled) one per (head, time-gap bucket), added to the attention logits. Both
 * start near 0 (std 0.02) so attention starts from the content term alone.
 *
 * <p>Input: position buckets {@code [L, L]} (or {@code [B, L, L]} when positions differ per row) and time buckets {@code [B, L, L]} (int64). Output:
 * the bias {@code [B, heads, L, L]}.
 */
public final class RelativeAttentionBias extends AbstractBlock {

    private final int numHeads;
    private final Parameter positionWeight;
    private final Parameter timeWeight;

    /**
     * @param numHeads attention heads
     * @param positionBuckets position-distance buckets
     * @param timeBuckets time-gap buckets
     */
    public RelativeAttentionBias(int numHeads, int positionBuckets, int timeBuckets) {
        this(numHeads, positionBuckets, timeBuckets, true);
    }

    /**
     * @param numHeads attention heads
     * @param positionBuckets position-distance buckets
     * @param timeBuckets time-gap buckets
     * @param withTimeBias false: position bias only (the time buckets input is ignored)
     */
    public RelativeAttentionBias(int numHeads, int positionBuckets, int timeBuckets, boolean withTimeBias) {
        this.numHeads = numHeads;
        this.positionWeight = addParameter(Parameter.builder()
                .setName("position")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(positionBuckets, numHeads))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
        this.timeWeight = !withTimeBias
                ? null
                : addParameter(Parameter.builder()
                        .setName("time")
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(timeBuckets, numHeads))
                        .optInitializer(new NormalInitializer(0.02f))
                        .build());
    }

    /**
     * @param ps parameter store
     * @param positionBuckets {@code [L, L]} int64, or {@code [B, L, L]}
     * @param timeBuckets {@code [B, L, L]} int64
     * @return {@code [B, heads, L, L]} ({@code [1, heads, L, L]} without a time bias and per-row positions)
     */
    public NDArray bias(ParameterStore ps, NDArray positionBuckets, NDArray timeBuckets) {
        NDArray pw = ps.getValue(positionWeight, positionBuckets.getDevice(), false);
        NDArray rowsOfPositions =
                Embedding.embedding(positionBuckets, pw, SparseFormat.DENSE).singletonOrThrow();
        NDArray position = positionBuckets.getShape().dimension() == 3
                ? rowsOfPositions.transpose(0, 3, 1, 2)
                : rowsOfPositions.transpose(2, 0, 1).expandDims(0);
        if (timeWeight == null) {
            return position;
        }
        NDArray tw = ps.getValue(timeWeight, timeBuckets.getDevice(), false);
        NDArray rows = Embedding.embedding(timeBuckets, tw, SparseFormat.DENSE).singletonOrThrow();
        NDArray time = rows.transpose(0, 3, 1, 2);
        NDArray sum = time.add(position);
        // [B, L, L, heads]: freed now rather than at the end of the step (see StuLayer)
        time.close();
        rows.close();
        return sum;
    }

    /** @return the (head x position bucket) weights, for inspection in tests */
    public Parameter positionWeight() {
        return positionWeight;
    }

    /** @return the (head x time bucket) weights, for inspection in tests; null without a time bias */
    public Parameter timeWeight() {
        return timeWeight;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(bias(ps, inputs.get(0), inputs.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape t = inputShapes[1];
        return new Shape[] {new Shape(t.get(0), numHeads, t.get(1), t.get(2))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
