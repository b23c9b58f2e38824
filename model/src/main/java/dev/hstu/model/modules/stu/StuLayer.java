package dev.hstu.model.modules.stu;

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
import dev.hstu.model.ops.LinearParameters;
import dev.hstu.model.ops.ScalarOps;

/**
 * One Sequential Transduction Unit (HSTU paper, eq. 1-3) on a padded batch {@code X [B, L, d]}:
 *
 * <pre>
 *   U, V, Q, K = split(SiLU(Norm(X) W1 + b1))                  one fused projection
 *   A          = SiLU(Q K^T / sqrt(attentionDim) + rab) * S   S = causal, padding and 1/n
 *   Y          = X + W2 Dropout(Norm(A V) * U) + b2
 * </pre>
 *
 * <p>Attention is pointwise (no softmax), so masking is a multiplication by 0 after the SiLU.
 *
 * <p>NDList contract: inputs {@code (X [B,L,d], S [B,1,L,L], positionBuckets [L,L], timeBuckets
 * [B,L,L])}, output {@code (Y [B,L,d])}.
 */
public final class StuLayer extends AbstractBlock {

    private final int heads;
    private final int attentionDim;
    private final int linearDim;
    private final float dropout;
    private final float logitScale;
    private final NormLayer inputNorm;
    private final NormLayer attentionOutputNorm;
    private final RelativeAttentionBias relativeBias;
    private final Parameter uvqkWeight;
    private final Parameter uvqkBias;
    private final Parameter outputWeight;
    private final Parameter outputBias;

    /**
     * @param stu the stack's settings (validated)
     * @param d model width
     */
    public StuLayer(StuConfig stu, int d) {
        this.heads = stu.numHeads();
        this.attentionDim = stu.attentionDim();
        this.linearDim = stu.linearDim();
        this.dropout = stu.dropout();
        this.logitScale = (float) (1.0 / Math.sqrt(attentionDim));
        int fused = heads * (2 * linearDim + 2 * attentionDim);
        this.uvqkWeight = addParameter(LinearParameters.weight("uvqkWeight", fused, d));
        this.uvqkBias = addParameter(LinearParameters.bias("uvqkBias", fused));
        this.outputWeight = addParameter(LinearParameters.weight("outputWeight", d, heads * linearDim));
        this.outputBias = addParameter(LinearParameters.bias("outputBias", d));
        this.inputNorm = addChildBlock("inputNorm", new NormLayer(stu.normType(), d));
        this.attentionOutputNorm =
                addChildBlock("attentionOutputNorm", new NormLayer(stu.normType(), heads * linearDim));
        this.relativeBias = addChildBlock(
                "relativeBias",
                new RelativeAttentionBias(heads, stu.positionBuckets(), stu.timeBuckets(), stu.relativeTimeBias()));
    }

    /**
     * @param ps parameter store
     * @param x {@code [B, L, d]} layer input
     * @param attentionScale {@code [B, 1, L, L]}: 0 where masked, {@code 1/n} elsewhere
     * @param positionBuckets {@code [L, L]} int64
     * @param timeBuckets {@code [B, L, L]} int64
     * @param training enables dropout
     * @return {@code [B, L, d]} layer output
     */
    public NDArray apply(
            ParameterStore ps,
            NDArray x,
            NDArray attentionScale,
            NDArray positionBuckets,
            NDArray timeBuckets,
            boolean training) {
        Projections p = project(ps, x);
        return output(ps, x, p, p.k(), p.v(), attentionScale, positionBuckets, timeBuckets, training);
    }

    /**
     * The layer's fused projection of rows, {@code SiLU(Norm(X) W1 + b1)} split per head: what incremental encoding
     * keeps of each event (its K and V) and computes for a new one.
     *
     * @param u {@code [B, Lx, heads*linearDim]}
     * @param v {@code [B, heads, Lx, linearDim]}
     * @param q {@code [B, heads, Lx, attentionDim]}
     * @param k {@code [B, heads, Lx, attentionDim]}
     */
    public record Projections(NDArray u, NDArray v, NDArray q, NDArray k) {}

    /**
     * @param ps parameter store
     * @param x {@code [B, Lx, d]} layer input rows
     * @return their projections
     */
    public Projections project(ParameterStore ps, NDArray x) {
        Shape shape = x.getShape();
        long b = shape.get(0);
        long l = shape.get(1);
        long hl = (long) heads * linearDim;
        long ha = (long) heads * attentionDim;
        NDArray normed = inputNorm.apply(ps, x);
        NDArray uvqk = silu(Linear.linear(normed, value(ps, uvqkWeight, x), value(ps, uvqkBias, x))
                .singletonOrThrow());
        NDList parts = uvqk.split(new long[] {hl, 2 * hl, 2 * hl + ha}, 2);
        return new Projections(
                parts.get(0),
                heads(parts.get(1), b, l, linearDim),
                heads(parts.get(2), b, l, attentionDim),
                heads(parts.get(3), b, l, attentionDim));
    }

    /**
     * The layer's output rows for query rows {@code x} attending to keys and values that may include earlier rows
     * than {@code x} (the cached rows of incremental encoding, then {@code x}'s own).
     *
     * @param ps parameter store
     * @param x {@code [B, Lq, d]} the query rows' layer input
     * @param queries {@link #project} of {@code x} (its U and Q are used)
     * @param keys {@code [B, heads, Lk, attentionDim]}
     * @param values {@code [B, heads, Lk, linearDim]}
     * @param attentionScale {@code [B, 1, Lq, Lk]}: 0 where masked, {@code 1/n} elsewhere
     * @param positionBuckets {@code [Lq, Lk]} or {@code [B, Lq, Lk]} int64
     * @param timeBuckets {@code [B, Lq, Lk]} int64
     * @param training enables dropout
     * @return {@code [B, Lq, d]}
     */
    public NDArray output(
            ParameterStore ps,
            NDArray x,
            Projections queries,
            NDArray keys,
            NDArray values,
            NDArray attentionScale,
            NDArray positionBuckets,
            NDArray timeBuckets,
            boolean training) {
        Shape shape = x.getShape();
        long b = shape.get(0);
        long l = shape.get(1);
        long hl = (long) heads * linearDim;

        // The [B, heads, L, L] arrays below are a step's largest. Autograd holds its own references to the
        // ones backward needs, so each handle is closed as soon as it is consumed: left to the step's NDScope,
        // all of them lived until the step ended (3x PyTorch's peak memory at L = 1024).
        NDArray scores = queries.q().matMul(keys.transpose(0, 1, 3, 2));
        NDArray scaled = ScalarOps.scale(scores, logitScale);
        scores.close();
        NDArray bias = relativeBias.bias(ps, positionBuckets, timeBuckets);
        NDArray logits = scaled.add(bias);
        scaled.close();
        bias.close();
        NDArray activated = silu(logits);
        logits.close();
        NDArray attention = activated.mul(attentionScale);
        activated.close();
        NDArray attended = attention.matMul(values).transpose(0, 2, 1, 3).reshape(b, l, hl);
        attention.close();

        NDArray gated = attentionOutputNorm.apply(ps, attended).mul(queries.u());
        if (training && dropout > 0f) {
            // on the gated attention output, before W2, as in the reference STU: measured better on
            // MovieLens than dropping the projected output
            gated = Dropout.dropout(gated, dropout, true).singletonOrThrow();
        }
        NDArray projected = Linear.linear(gated, value(ps, outputWeight, x), value(ps, outputBias, x))
                .singletonOrThrow();
        return x.add(projected);
    }

    private static NDArray heads(NDArray flat, long b, long l, int perHead) {
        return flat.reshape(b, l, -1, perHead).transpose(0, 2, 1, 3);
    }

    private static NDArray silu(NDArray x) {
        NDArray sigmoid = Activation.sigmoid(x);
        NDArray out = x.mul(sigmoid);
        sigmoid.close();
        return out;
    }

    private static NDArray value(ParameterStore ps, Parameter p, NDArray like) {
        return ps.getValue(p, like.getDevice(), false);
    }

    /** @return the fused U/V/Q/K projection weight {@code [heads*(2*linearDim+2*attentionDim), d]} */
    public Parameter uvqkWeight() {
        return uvqkWeight;
    }

    /** @return this layer's relative attention bias */
    public RelativeAttentionBias relativeBias() {
        return relativeBias;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        inputNorm.initialize(manager, dataType, x);
        attentionOutputNorm.initialize(manager, dataType, new Shape(x.get(0), x.get(1), (long) heads * linearDim));
        relativeBias.initialize(manager, dataType, inputShapes[2], inputShapes[3]);
    }
}
