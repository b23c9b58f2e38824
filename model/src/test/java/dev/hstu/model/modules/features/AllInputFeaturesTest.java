package dev.hstu.model.modules.features;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.ActionEncoding;
import dev.hstu.model.config.GatingConfig;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.MultimodalItemTables;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.modules.HstuEncoder;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every input-feature switch on at once: autograd gradients of every parameter match central
 * finite differences in float64 (so each new block's backward pass is right, not only non-zero),
 * and the float16 (mixed-precision) forward pass stays close to the float32 one and trains.
 */
class AllInputFeaturesTest {

    private static final double STEP = 1e-6;
    private static final int[] LENGTHS = {5, 3};

    private static HstuConfig config(int dim, int itemCapacity) {
        return TestBatches.tiny()
                .with("encoder.embeddingDim", dim)
                .with("stu.attentionDim", dim / 2)
                .with("stu.linearDim", dim / 2)
                .with("items.capacity", itemCapacity)
                .with("features.actions.numActions", 8)
                .with("features.actions.encoding", ActionEncoding.BITS)
                .with("features.actions.bitWeights", List.of(1f, 0.5f, 2f))
                .with("features.time", true)
                .with("features.denseDim", 2)
                .with("features.gating", GatingConfig.defaults())
                .with("features.gating.reduction", 2)
                .with("features.multimodalDims", Map.of(81, 3, 82, 2))
                .with("features.userFeatures.slots", 2)
                .with("features.userFeatures.buckets", 7)
                .with("features.genres.count", 3)
                .validate();
    }

    private static PackedBatch batch(int itemRows) {
        SplittableRandom random = new SplittableRandom(11);
        PackedBatch.Builder builder = PackedBatch.builder(2, 2);
        long ts = 1_600_000_000L;
        for (int s = 0; s < LENGTHS.length; s++) {
            for (int p = 0; p < LENGTHS[s]; p++) {
                ts += random.nextInt(100_000);
                builder.addEvent(
                        2 + random.nextInt(itemRows - 2),
                        random.nextInt(8),
                        ts,
                        new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()},
                        0);
            }
            builder.endSequence(0, new long[] {10 + s, s == 0 ? 20 : PackedBatch.NO_USER_FEATURE}, 0);
        }
        PackedBatch batch = builder.build();
        int[] genres = new int[batch.totalEvents()];
        for (int e = 0; e < genres.length; e++) {
            genres[e] = random.nextInt(8);
        }
        return batch.withColumn(ColumnValues.of(GenreEmbedding.GENRE_COLUMN, genres));
    }

    private static MultimodalItemTables tables(HstuConfig config) {
        MultimodalItemTables tables = MultimodalItemTables.forConfig(config);
        SplittableRandom random = new SplittableRandom(2);
        for (int item = 2; item < config.items().capacity() - 1; item++) { // the last row has no vectors
            tables.put(81, item, new float[] {
                (float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian()
            });
            tables.put(82, item, new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()});
        }
        return tables;
    }

    @Test
    void autogradMatchesFiniteDifferencesForEveryParameterWithEveryFeatureOn() {
        HstuConfig config = config(8, 12);
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = FeatureTestSupport.manager()) {
            engine.setRandomSeed(5);
            HstuEncoder encoder = new HstuEncoder(config);
            encoder.initialize(manager, DataType.FLOAT64);
            encoder.preprocessor().multimodal().attach(tables(config).toNDList(manager));
            ParameterStore ps = new ParameterStore(manager, false);
            PaddedSequences inputs = PaddedSequences.of(batch(12), config, manager);
            NDArray weights = manager.randomNormal(new Shape(2, 5, 8)).toType(DataType.FLOAT64, false);

            try (GradientCollector collector = engine.newGradientCollector()) {
                collector.backward(objective(encoder, ps, inputs, weights));
            }
            List<String> checked = new ArrayList<>();
            SplittableRandom pick = new SplittableRandom(3);
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                NDArray array = p.getValue().getArray();
                double[] analytic = array.getGradient().toDoubleArray();
                double[] values = array.toDoubleArray();
                for (int trial = 0; trial < 2; trial++) {
                    int i = trial == 0 ? largest(analytic) : pick.nextInt(values.length);
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
                if (p.getKey().matches(".*(actionBits|gating|multimodal|userFeatures).*")) {
                    assertThat(maxAbs(analytic))
                            .as("%s has a gradient", p.getKey())
                            .isGreaterThan(1e-8);
                }
                checked.add(p.getKey().replaceAll("(^|_)\\d\\d", "$1"));
            }
            assertThat(checked)
                    .contains(
                            "preprocessor_actionBits_bitEmbedding",
                            "preprocessor_gating_squeezeWeight",
                            "preprocessor_gating_squeezeBias",
                            "preprocessor_gating_exciteWeight",
                            "preprocessor_gating_exciteBias",
                            "preprocessor_multimodal_weight81",
                            "preprocessor_multimodal_bias81",
                            "preprocessor_multimodal_weight82",
                            "preprocessor_multimodal_bias82",
                            "preprocessor_userFeatures_table",
                            "preprocessor_denseProjection_weight")
                    .doesNotContain("preprocessor_action");
        }
    }

    @Test
    void theMixedPrecisionPassStaysCloseToFloat32AndTrains() {
        HstuConfig full = config(16, 50);
        HstuConfig mixed = full.with("runtime.mixedPrecision", true).validate();
        PackedBatch batch = batch(50);
        MultimodalItemTables tables = tables(full);
        try (HstuModel a = HstuModel.create(full);
                HstuModel b = HstuModel.create(mixed);
                HstuTrainer trainer = new HstuTrainer(b)) {
            a.setMultimodalTables(tables);
            b.setMultimodalTables(tables);
            float difference = FeatureTestSupport.maxDifference(a.encodeSequences(batch), b.encodeSequences(batch));
            assertThat(difference).isGreaterThan(0f).isLessThan(0.02f);
            StepResult step = trainer.step(batch);
            assertThat(step.loss()).isFinite();
        }
    }

    private static NDArray objective(HstuEncoder encoder, ParameterStore ps, PaddedSequences in, NDArray weights) {
        NDArray out = encoder.encode(ps, in, false);
        NDArray valid = in.lengths()
                .expandDims(1)
                .gt(out.getManager()
                        .arange(0, in.maxLength(), 1, DataType.INT64)
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

    private static int largest(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i]) > Math.abs(values[best])) {
                best = i;
            }
        }
        return best;
    }

    private static double maxAbs(double[] values) {
        return Math.abs(values[largest(values)]);
    }
}
