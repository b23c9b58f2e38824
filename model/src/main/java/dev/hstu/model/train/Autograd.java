package dev.hstu.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The two autograd controls DJL's engine-neutral API lacks, for the PyTorch engine this module
 * is built on.
 */
public final class Autograd {

    private Autograd() {}

    /**
     * Turns off graph recording on the calling thread. libtorch's grad mode is thread-local and
     * DJL disables it only on the thread that loaded the engine, so inference on any other thread
     * (e.g. a Flink task thread) would otherwise record a graph for every op.
     */
    public static void disableOnThisThread() {
        JniUtils.setGradMode(false);
    }

    /**
     * Zeroes a parameter's accumulated gradient in place, NaN-safe ({@code g - g} is not).
     *
     * @param parameter a parameter array created by the PyTorch engine
     */
    public static void zeroGradient(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }
}
