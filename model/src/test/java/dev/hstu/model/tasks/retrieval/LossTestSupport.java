package dev.hstu.model.tasks.retrieval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.train.Autograd;

/** What the loss tests share: a manager, row-major float matrices, dot products, softplus. */
final class LossTestSupport {

    private LossTestSupport() {}

    /** @return a base manager of the model's engine, graph recording off outside gradient collectors; close it */
    static NDManager manager() {
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        Autograd.disableOnThisThread();
        return manager;
    }

    /** @return {@code rows} as a {@code [rows, d]} array that records its gradient */
    static NDArray trainable(NDManager manager, float[][] rows) {
        NDArray array = matrix(manager, rows);
        array.setRequiresGradient(true);
        return array;
    }

    /** @return {@code rows} as a {@code [rows, d]} array */
    static NDArray matrix(NDManager manager, float[][] rows) {
        int d = rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return manager.create(flat, new Shape(rows.length, d));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    /** @return {@code -log softmax(logits)[0]} over the logits not masked */
    static double negativeLogSoftmaxOfFirst(double[] logits, boolean[] masked) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < logits.length; j++) {
            if (!masked[j]) {
                max = Math.max(max, logits[j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < logits.length; j++) {
            if (!masked[j]) {
                sum += Math.exp(logits[j] - max);
            }
        }
        return -(logits[0] - max - Math.log(sum));
    }
}
