package dev.hstu.model.train;

/**
 * Dynamic loss scaling for float16 compute ({@code model.runtime.mixedPrecision}): the loss is multiplied by the scale before
 * backward, so that small gradients survive float16's narrow range, and the gradients are divided by it before the
 * update. A step whose gradients overflow is dropped and the scale halved; after {@link #GROWTH_INTERVAL} good steps
 * in a row the scale doubles, up to {@link #INITIAL_SCALE}. This is the schedule of PyTorch's {@code GradScaler}.
 */
public final class LossScaler {

    /**
     * The first scale: 2^15, the largest power of two float16 holds. The scale multiplies the
     * float16 loss's gradient, so PyTorch's 2^16 (meant for a float32 loss) would be inf here.
     */
    public static final float INITIAL_SCALE = 32_768f;
    /** Good steps in a row before the scale doubles. */
    public static final int GROWTH_INTERVAL = 2_000;

    private final boolean enabled;
    private float scale;
    private int goodSteps;

    private LossScaler(boolean enabled, float scale, int goodSteps) {
        this.enabled = enabled;
        this.scale = scale;
        this.goodSteps = goodSteps;
    }

    /** @return a scaler that changes nothing (float32 compute) */
    public static LossScaler disabled() {
        return new LossScaler(false, 1f, 0);
    }

    /**
     * @param scale the scale to start from (a resumed trainer's)
     * @param goodSteps good steps since the scale last changed
     * @return a dynamic scaler
     */
    public static LossScaler dynamic(float scale, int goodSteps) {
        if (!(scale > 0f) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("loss scale must be finite and > 0, got " + scale);
        }
        return new LossScaler(true, scale, goodSteps);
    }

    /** @return whether overflowing gradients are expected and handled (a skipped step, not a divergence) */
    public boolean enabled() {
        return enabled;
    }

    /** @return the factor the loss is multiplied by before backward */
    public float scale() {
        return scale;
    }

    /** @return good steps since the scale last changed */
    public int goodSteps() {
        return goodSteps;
    }

    /** Records an update applied with finite gradients. */
    public void applied() {
        if (enabled && ++goodSteps >= GROWTH_INTERVAL) {
            scale = Math.min(INITIAL_SCALE, scale * 2f);
            goodSteps = 0;
        }
    }

    /** Records a step dropped because its scaled gradients overflowed. */
    public void overflowed() {
        if (enabled) {
            scale = Math.max(1f, scale / 2f);
            goodSteps = 0;
        }
    }
}
