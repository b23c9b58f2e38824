package dev.hstu.model.modules.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hstu.model.config.StuConfig;
import dev.hstu.model.modules.stu.NormLayer;
import dev.hstu.model.ops.LinearParameters;
import dev.hstu.model.ops.ScalarOps;

/**
 * One pre-norm Transformer layer, the SASRec-style baseline HSTU is measured against:
 *
 * <pre>
 *   H = X + Dropout(MHA(Norm(X)))          softmax attention, causal and padding masked
 *   Y = H + Dropout(W2 GELU(W1 Norm(H)))   position-wise feed-forward, hidden width d
 * </pre>
 *
 * <p>Heads split {@code d} evenly; logits are scaled by {@code 1/sqrt(d/heads)}. Masked keys get
 * a large negative logit (not minus infinity) so a fully padded row stays finite.
 */
public final class TransformerLayer extends AbstractBlock {

    private static final float MASKED = 1e9f;

    private final int dim;
    private final int heads;
    private final float dropout;
    private final float logitScale;
    private final NormLayer attentionNorm;
    private final NormLayer ffnNorm;
    private final Parameter qkvWeight;
    private final Parameter qkvBias;
    private final Parameter outWeight;
    private final Parameter outBias;
    private final Parameter ffnInWeight;
    private final Parameter ffnInBias;
    private final Parameter ffnOutWeight;
    private final Parameter ffnOutBias;

    /**
     * @param stu the stack's settings (validated): layers, heads, dropout, norm
     * @param dim model width
     */
    public TransformerLayer(StuConfig stu, int dim) {
        this.dim = dim;
        this.heads = stu.numHeads();
        this.dropout = stu.dropout();
        this.logitScale = (float) (1.0 / Math.sqrt((double) dim / heads));
        this.attentionNorm = addChildBlock("attentionNorm", new NormLayer(stu.normType(), dim));
        this.ffnNorm = addChildBlock("ffnNorm", new NormLayer(stu.normType(), dim));
        this.qkvWeight = weight("qkvWeight", 3 * dim, dim);
        this.qkvBias = bias("qkvBias", 3 * dim);
        this.outWeight = weight("outWeight", dim, dim);
        this.outBias = bias("outBias", dim);
        this.ffnInWeight = weight("ffnInWeight", dim, dim);
        this.ffnInBias = bias("ffnInBias", dim);
        this.ffnOutWeight = weight("ffnOutWeight", dim, dim);
        this.ffnOutBias = bias("ffnOutBias", dim);
    }

    private Parameter weight(String name, int rows, int cols) {
        return addParameter(LinearParameters.weight(name, rows, cols));
    }

    private Parameter bias(String name, int size) {
        return addParameter(LinearParameters.bias(name, size));
    }

    /**
     * @param ps parameter store
     * @param x {@code [B, L, d]}
     * @param keyMask {@code [B, 1, L, L]} 1 where query row i may attend key j, else 0
     * @param training enables dropout
     * @return {@code [B, L, d]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, NDArray keyMask, boolean training) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        int headDim = dim / heads;
        NDArray qkv = Linear.linear(attentionNorm.apply(ps, x), value(ps, qkvWeight, x), value(ps, qkvBias, x))
                .singletonOrThrow();
        NDList parts = qkv.split(3, 2);
        NDArray q = splitHeads(parts.get(0), b, l, headDim);
        NDArray k = splitHeads(parts.get(1), b, l, headDim);
        NDArray v = splitHeads(parts.get(2), b, l, headDim);
        NDArray logits = ScalarOps.scale(q.matMul(k.transpose(0, 1, 3, 2)), logitScale)
                .add(keyMask.sub(1f).mul(MASKED));
        NDArray attended = logits.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, l, dim);
        NDArray h = x.add(dropout(
                Linear.linear(attended, value(ps, outWeight, x), value(ps, outBias, x))
                        .singletonOrThrow(),
                training));
        NDArray hidden =
                Activation.gelu(Linear.linear(ffnNorm.apply(ps, h), value(ps, ffnInWeight, x), value(ps, ffnInBias, x))
                        .singletonOrThrow());
        return h.add(dropout(
                Linear.linear(hidden, value(ps, ffnOutWeight, x), value(ps, ffnOutBias, x))
                        .singletonOrThrow(),
                training));
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && dropout > 0f ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    private static NDArray splitHeads(NDArray flat, long b, long l, int perHead) {
        return flat.reshape(b, l, -1, perHead).transpose(0, 2, 1, 3);
    }

    private static NDArray value(ParameterStore ps, Parameter p, NDArray like) {
        return ps.getValue(p, like.getDevice(), false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attentionNorm.initialize(manager, dataType, inputShapes[0]);
        ffnNorm.initialize(manager, dataType, inputShapes[0]);
    }
}
