package dev.hstu.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication by a constant that is safe inside a gradient collection.
 *
 * <p>Why not {@code x.mul(3f)}: DJL's PyTorch {@code mul(Number)} / {@code div(Number)} wrap the
 * number in a tensor that views a Java direct buffer (no copy) and close it right after the op.
 * Autograd keeps that tensor for the backward pass ({@code d(x*c)/dx = c}), so once the garbage
 * collector frees the buffer the backward pass reads freed memory: intermittent NaN/inf gradients
 * that appear only under GC pressure (a streaming job loading models, jobs starting). Here the
 * constant is a tensor the engine allocates and owns, so autograd's reference keeps it alive.
 * {@code add(Number)} and {@code sub(Number)} are safe: their backward pass never reads the
 * constant.
 */
public final class ScalarOps {

    private ScalarOps() {}

    /**
     * @param x any float array (may require gradients)
     * @param factor constant factor
     * @return {@code x * factor}
     */
    public static NDArray scale(NDArray x, double factor) {
        try (NDArray constant = x.getManager().full(new Shape(), (float) factor, x.getDataType())) {
            return x.mul(constant);
        }
    }
}
