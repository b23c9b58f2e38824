package dev.hstu.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW with global gradient-norm clipping, whose state (first and second moments) is plain
 * NDArrays this class owns, so a checkpoint can store and restore it exactly.
 *
 * <p>The per-parameter update is the engine's fused in-place Adam kernel (one native call per
 * parameter, which also zeroes the gradient). Its epsilon is added to {@code sqrt(v)} before the
 * bias correction, as in MXNet/TensorFlow: effectively {@code eps * sqrt(1 - beta2^t)} in
 * PyTorch's convention. Weight decay is decoupled: {@code w -= lr * wd * w}.
 */
public final class AdamW implements AutoCloseable {

    /** First-moment decay (HSTU uses 0.9). */
    public static final float BETA1 = 0.9f;
    /** Second-moment decay (HSTU uses 0.98). */
    public static final float BETA2 = 0.98f;
    /** Denominator epsilon. */
    public static final float EPSILON = 1e-8f;

    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private final NDManager stateManager;
    private final float weightDecay;
    private final float clipNorm;
    private final GradientSource gradients;

    /** Where a parameter's gradient is: on the parameter itself, or elsewhere (mixed precision). */
    @FunctionalInterface
    public interface GradientSource {
        /**
         * @param parameter the parameter
         * @param weight its (float32) array
         * @return its gradient for this update, float32; null if it has none
         */
        NDArray of(Parameter parameter, NDArray weight);
    }

    /**
     * @param parameters the parameters to update, in a fixed order (the checkpoint order)
     * @param parent manager on the parameters' device; the moments live in a child of it
     * @param weightDecay decoupled weight decay
     * @param clipNorm global gradient-norm clip, 0 = off
     */
    public AdamW(PairList<String, Parameter> parameters, NDManager parent, float weightDecay, float clipNorm) {
        this(parameters, parent, weightDecay, clipNorm, (parameter, weight) -> weight.getGradient());
    }

    /**
     * @param parameters the parameters to update, in a fixed order (the checkpoint order)
     * @param parent manager on the parameters' device; the moments live in a child of it
     * @param weightDecay decoupled weight decay
     * @param clipNorm global gradient-norm clip, 0 = off
     * @param gradients where each parameter's gradient is read from
     */
    public AdamW(
            PairList<String, Parameter> parameters,
            NDManager parent,
            float weightDecay,
            float clipNorm,
            GradientSource gradients) {
        this.stateManager = parent.newSubManager();
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        this.gradients = gradients;
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            this.parameters.add(p.getValue());
            weights.add(w);
            means.add(stateManager.zeros(w.getShape(), w.getDataType()));
            variances.add(stateManager.zeros(w.getShape(), w.getDataType()));
        }
    }

    /**
     * Global L2 norm of all gradients; one device-to-host transfer.
     *
     * @return the norm (NaN or inf if any gradient is)
     */
    public float gradientNorm() {
        // one norm per parameter and one over those: two ops per parameter fewer than square-sum-add,
        // which counts on a GPU, where each op is a kernel launch and a JNI call
        NDList norms = new NDList(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            NDArray g = gradients.of(parameters.get(i), weights.get(i));
            if (g != null) {
                norms.add(g.norm());
            }
        }
        return norms.isEmpty() ? 0f : NDArrays.stack(norms).norm().getFloat();
    }

    /**
     * Applies one update from the accumulated gradients and zeroes them.
     *
     * @param step 1-based index of this update (bias correction)
     * @param learningRate this update's rate
     * @param gradNorm the value of {@link #gradientNorm()} for these gradients
     */
    public void update(long step, float learningRate, float gradNorm) {
        update(step, learningRate, gradNorm, 1f);
    }

    /**
     * Applies one update from the accumulated gradients, each multiplied by {@code gradScale}
     * first (e.g. 1 / targets of an accumulation group), and zeroes them.
     *
     * @param step 1-based index of this update (bias correction)
     * @param learningRate this update's rate
     * @param gradNorm the global norm of the scaled gradients
     * @param gradScale factor applied to every gradient before clipping
     */
    public void update(long step, float learningRate, float gradNorm, float gradScale) {
        float rescale = gradScale * (clipNorm > 0f && gradNorm > clipNorm ? clipNorm / gradNorm : 1f);
        double correction = Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
        float correctedRate = (float) (learningRate * correction);
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            NDArray g = gradients.of(parameters.get(i), w);
            if (g == null) {
                continue;
            }
            w.getNDArrayInternal()
                    .adamUpdate(
                            new NDList(w, g, means.get(i), variances.get(i)),
                            new NDList(w),
                            learningRate,
                            correctedRate,
                            weightDecay,
                            rescale,
                            -1f, // no element-wise clipping; the global-norm rescale above replaces it
                            BETA1,
                            BETA2,
                            EPSILON,
                            false,
                            // without decay Adam and AdamW agree; DJL's AdamW branch would still spend three
                            // kernels per parameter on a zero decay term
                            weightDecay > 0f);
        }
    }

    /** Zeroes the accumulated gradients without updating (a rejected step). */
    public void discardGradients() {
        for (NDArray w : weights) {
            Autograd.zeroGradient(w);
        }
    }

    /** @return the moments, means first, in parameter order */
    public NDList state() {
        NDList list = new NDList();
        list.addAll(means);
        list.addAll(variances);
        return list;
    }

    /**
     * Overwrites the moments with a saved state.
     *
     * @param saved a list returned by {@link #state()} of an optimizer over the same parameters
     * @throws IllegalArgumentException if it does not match these parameters
     */
    public void restore(NDList saved) {
        int n = weights.size();
        if (saved.size() != 2 * n) {
            throw new IllegalArgumentException("optimizer state has " + saved.size() + " arrays, expected " + 2 * n);
        }
        for (int i = 0; i < 2 * n; i++) {
            NDArray target = i < n ? means.get(i) : variances.get(i - n);
            NDArray source = saved.get(i);
            if (!target.getShape().equals(source.getShape())) {
                throw new IllegalArgumentException("optimizer state array " + i + " has shape " + source.getShape()
                        + ", expected " + target.getShape());
            }
            source.copyTo(target);
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
