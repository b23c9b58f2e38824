package dev.hstu.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.modules.HstuEncoder;
import dev.hstu.model.train.Autograd;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Compares autograd gradients of {@code sum(R * encoder(x))} with central finite differences in
 * float64, for entries of every parameter of the encoder (STU projections, norms, relative bias,
 * embeddings).
 */
class HstuGradientCheckTest {

    private static final double STEP = 1e-6;

    @Test
    void autogradMatchesFiniteDifferencesInDoublePrecision() {
        HstuConfig config = TestBatches.tiny()
                .with("encoder.embeddingDim", 8)
                .with("stu.attentionDim", 4)
                .with("stu.linearDim", 4)
                .with("items.capacity", 12)
                .validate();
        PackedBatch batch = TestBatches.random(new SplittableRandom(11), new int[] {5, 3}, 12);
        Engine engine = Engine.getEngine("PyTorch");
        Autograd.disableOnThisThread();
        try (NDManager manager = engine.newBaseManager()) {
            engine.setRandomSeed(5);
            HstuEncoder encoder = new HstuEncoder(config);
            encoder.initialize(manager, DataType.FLOAT64);
            // Larger-than-default bias weights so their gradients are not vanishingly small.
            encoder.stu()
                    .layers()
                    .forEach(l -> l.relativeBias().timeWeight().getArray().muli(20));
            ParameterStore ps = new ParameterStore(manager, false);
            PaddedSequences inputs = PaddedSequences.of(batch, config, manager);
            NDArray weights = manager.randomNormal(new ai.djl.ndarray.types.Shape(2, 5, 8))
                    .toType(DataType.FLOAT64, false);

            try (GradientCollector collector = engine.newGradientCollector()) {
                collector.backward(objective(encoder, ps, inputs, weights));
            }

            SplittableRandom pick = new SplittableRandom(3);
            List<String> checked = new ArrayList<>();
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                NDArray array = p.getValue().getArray();
                double[] analytic = array.getGradient().toDoubleArray();
                double[] values = array.toDoubleArray();
                for (int trial = 0; trial < 3; trial++) {
                    int i = largestOrRandom(analytic, pick, trial);
                    double original = values[i];
                    values[i] = original + STEP;
                    array.set(values);
                    double plus = objectiveValue(encoder, ps, inputs, weights);
                    values[i] = original - STEP;
                    array.set(values);
                    double minus = objectiveValue(encoder, ps, inputs, weights);
                    values[i] = original;
                    array.set(values);
                    double numeric = (plus - minus) / (2 * STEP);
                    assertThat(Math.abs(analytic[i] - numeric))
                            .as(
                                    "%s[%d]: autograd %.10f vs finite difference %.10f",
                                    p.getKey(), i, analytic[i], numeric)
                            .isLessThanOrEqualTo(1e-6 * Math.max(1.0, Math.abs(numeric)));
                }
                checked.add(p.getKey());
            }
            // DJL prefixes child blocks with their ordinal: 03stu_01layer0_... is stu.layer0.
            assertThat(checked)
                    .hasSize(23)
                    .contains(
                            "03stu_01layer0_uvqkWeight",
                            "03stu_02layer1_03relativeBias_time",
                            "03stu_01layer0_03relativeBias_position",
                            "01itemEmbedding_weight",
                            "02preprocessor_action");
        }
    }

    /** The first trial takes the entry with the largest gradient so every check is non-trivial. */
    private static int largestOrRandom(double[] gradient, SplittableRandom random, int trial) {
        if (trial > 0) {
            return random.nextInt(gradient.length);
        }
        int best = 0;
        for (int i = 1; i < gradient.length; i++) {
            if (Math.abs(gradient[i]) > Math.abs(gradient[best])) {
                best = i;
            }
        }
        return best;
    }

    private static NDArray objective(HstuEncoder encoder, ParameterStore ps, PaddedSequences in, NDArray weights) {
        NDArray out = encoder.encode(ps, in, false);
        NDArray valid = in.lengths()
                .expandDims(1)
                .gt(out.getManager()
                        .arange(0, (int) in.maxLength(), 1, DataType.INT64)
                        .expandDims(0))
                .toType(DataType.FLOAT64, false)
                .expandDims(2);
        return out.mul(weights).mul(valid).sum();
    }

    private static double objectiveValue(HstuEncoder encoder, ParameterStore ps, PaddedSequences in, NDArray weights) {
        try (NDScope ignored = new NDScope()) {
            return objective(encoder, ps, in, weights).getDouble();
        }
    }
}
