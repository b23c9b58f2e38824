package dev.hstu.model.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.hstu.model.DirectMemoryChurn;
import dev.hstu.model.train.Autograd;
import org.junit.jupiter.api.Test;

/**
 * Regression test of the intermittent non-finite gradients of the streaming trainer: the constant
 * of a scalar product must still be readable when the backward pass runs after a GC.
 */
class ScalarOpsTest {

    @Test
    void theGradientOfAScaledArraySurvivesAGarbageCollectionBeforeBackward() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray x = manager.ones(new ai.djl.ndarray.types.Shape(1_000));
            x.setRequiresGradient(true);
            for (int round = 0; round < 20; round++) {
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray y = ScalarOps.scale(x, 3.0).sum();
                    assertThat(DirectMemoryChurn.collectAndReuse()).isPositive();
                    collector.backward(y);
                }
                float[] gradient = x.getGradient().toFloatArray();
                for (float g : gradient) {
                    assertThat(g).as("round %d", round).isEqualTo(3f);
                }
                Autograd.zeroGradient(x);
            }
        } finally {
            Autograd.disableOnThisThread();
        }
    }
}
