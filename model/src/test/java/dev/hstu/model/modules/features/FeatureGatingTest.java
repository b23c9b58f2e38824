package dev.hstu.model.modules.features;

import static dev.hstu.model.modules.features.FeatureTestSupport.floats;
import static dev.hstu.model.modules.features.FeatureTestSupport.maxDifference;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameter;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.GatingConfig;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.train.HstuTrainer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code featureGating}: a SENet gate weighs the input's feature fields before they are summed. */
class FeatureGatingTest {

    private static final Shape FIELD = new Shape(2, 3, 4);

    @Test
    void theOutputIsTheSumOfTheFieldsEachWeighedByItsGate() {
        try (NDManager manager = FeatureTestSupport.manager()) {
            FeatureGating gating = new FeatureGating(3, 2);
            gating.initialize(manager, DataType.FLOAT32, FIELD);
            assertThat(gating.getParameters().get("squeezeWeight").getArray().getShape())
                    .as("max(1, 3/2) hidden units")
                    .isEqualTo(new Shape(1, 3));
            NDList fields = randomFields(manager, 3, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(manager, false);

            NDArray out = gating.apply(ps, fields);
            NDArray gates = gating.gates(ps, ai.djl.ndarray.NDArrays.stack(fields, 2));

            assertThat(out.getShape()).isEqualTo(FIELD);
            assertThat(gates.getShape()).isEqualTo(new Shape(2, 3, 3));
            assertThat(gates.min().getFloat()).isGreaterThan(0f);
            assertThat(gates.max().getFloat()).isLessThan(2f);
            NDArray expected = fields.get(0)
                    .mul(gates.get(":, :, 0:1"))
                    .add(fields.get(1).mul(gates.get(":, :, 1:2")))
                    .add(fields.get(2).mul(gates.get(":, :, 2:3")));
            assertThat(maxDifference(out.toFloatArray(), expected.toFloatArray()))
                    .isLessThan(1e-6f);
            // the gate depends on the fields: scaling one field changes every field's weight
            fields.set(0, fields.get(0).mul(3f));
            assertThat(gating.gates(ps, ai.djl.ndarray.NDArrays.stack(fields, 2))
                            .toFloatArray())
                    .isNotEqualTo(gates.toFloatArray());
        }
    }

    @Test
    void aZeroExciteLayerWeighsEveryFieldOneSoTheGateStartsFromThePlainSum() {
        try (NDManager manager = FeatureTestSupport.manager()) {
            FeatureGating gating = new FeatureGating(4, 2);
            gating.initialize(manager, DataType.FLOAT32, FIELD);
            gating.getParameters().get("exciteWeight").getArray().muli(0);
            NDList fields = randomFields(manager, 4, DataType.FLOAT32);
            NDArray sum = fields.get(0).add(fields.get(1)).add(fields.get(2)).add(fields.get(3));
            assertThat(maxDifference(
                            gating.apply(new ParameterStore(manager, false), fields)
                                    .toFloatArray(),
                            sum.toFloatArray()))
                    .isLessThan(1e-6f);
        }
    }

    @Test
    void gradientsReachEveryParameterOfTheGateAndEveryField() {
        try (NDManager manager = FeatureTestSupport.manager()) {
            FeatureGating gating = new FeatureGating(3, 1);
            gating.initialize(manager, DataType.FLOAT64, FIELD);
            NDList fields = randomFields(manager, 3, DataType.FLOAT64);
            fields.forEach(f -> f.setRequiresGradient(true));
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = gating.apply(new ParameterStore(manager, false), fields);
                collector.backward(
                        out.mul(manager.randomNormal(FIELD, DataType.FLOAT64)).sum());
            }
            for (Pair<String, Parameter> p : gating.getParameters()) {
                assertThat(p.getValue().getArray().getGradient().abs().sum().getDouble())
                        .as(p.getKey())
                        .isGreaterThan(0.0);
            }
            for (NDArray field : fields) {
                assertThat(field.getGradient().abs().sum().getDouble()).isGreaterThan(0.0);
            }
        }
    }

    @Test
    void inTheModelTheGateCoversEveryFieldStartsAsThePlainSumWithUnitGatesAndTrains() {
        HstuConfig plainConfig = TestBatches.tiny().with("features.time", true).validate();
        HstuConfig gatedConfig = plainConfig
                .with("features.gating", GatingConfig.defaults())
                .with("features.gating.reduction", 2)
                .validate();
        PackedBatch batch = TestBatches.random(new SplittableRandom(5), new int[] {6, 2, 9}, 50);
        try (HstuModel plain = HstuModel.create(plainConfig);
                HstuModel gated = HstuModel.create(gatedConfig);
                HstuTrainer trainer = new HstuTrainer(gated)) {
            // item, position, action, hour of week, gap
            assertThat(InputPreprocessor.fieldCount(gatedConfig)).isEqualTo(5);
            assertThat(parameter(gated, "gating_squeezeWeight").getArray().getShape())
                    .isEqualTo(new Shape(2, 5));
            assertThat(parameter(gated, "gating_exciteWeight").getArray().getShape())
                    .isEqualTo(new Shape(5, 2));
            assertThat(gated.encodeSequences(batch)).hasSize(batch.totalEvents() * 16);

            // with the plain model's weights and every gate at 1, the gated model encodes as the plain one
            for (Pair<String, Parameter> p : gated.encoder().getParameters()) {
                if (!p.getKey().contains("gating")) {
                    p.getValue()
                            .getArray()
                            .set(plain.encoder()
                                    .getParameters()
                                    .get(p.getKey())
                                    .getArray()
                                    .toFloatArray());
                }
            }
            Parameter excite = parameter(gated, "gating_exciteWeight");
            float[] exciteWeights = excite.getArray().toFloatArray();
            excite.getArray().muli(0);
            assertThat(maxDifference(gated.encodeSequences(batch), plain.encodeSequences(batch)))
                    .isLessThan(1e-5f);
            excite.getArray().set(exciteWeights);
            assertThat(maxDifference(gated.encodeSequences(batch), plain.encodeSequences(batch)))
                    .as("learned gates are not 1")
                    .isGreaterThan(1e-4f);

            float[] squeeze = floats(parameter(gated, "gating_squeezeWeight").getArray());
            assertThat(trainer.step(batch).skipped()).isFalse();
            assertThat(floats(parameter(gated, "gating_squeezeWeight").getArray()))
                    .isNotEqualTo(squeeze);
            assertThat(floats(excite.getArray())).isNotEqualTo(exciteWeights);
        }
    }

    private static NDList randomFields(NDManager manager, int count, DataType type) {
        NDList fields = new NDList(count);
        for (int f = 0; f < count; f++) {
            fields.add(manager.randomNormal(FIELD, type).mul(f + 1));
        }
        return fields;
    }
}
