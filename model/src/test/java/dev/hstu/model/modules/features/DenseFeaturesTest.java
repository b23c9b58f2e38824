package dev.hstu.model.modules.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional per-event dense features: projected and added to the input when on, ignored when off. */
class DenseFeaturesTest {

    private static final int DENSE = 3;
    private static final int D = 16;
    private static final int[] LENGTHS = {6, 2, 9};

    @TempDir
    Path dir;

    private static HstuConfig withDense() {
        return TestBatches.tiny().with("features.denseDim", DENSE).validate();
    }

    /** The same events as {@code TestBatches.random(seed 5)}, each with {@code DENSE} features drawn from {@code seed}. */
    private static PackedBatch batch(long seed) {
        PackedBatch plain = TestBatches.random(new SplittableRandom(5), LENGTHS, 50);
        SplittableRandom random = new SplittableRandom(seed);
        float[] dense = new float[plain.totalEvents() * DENSE];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) random.nextGaussian();
        }
        return PackedBatch.of(
                plain.offsets(), plain.items(), plain.actions(), plain.timestamps(), plain.firstTarget(), dense, DENSE);
    }

    @Test
    void theProjectionAddsOneLinearLayerAndKeepsTheOutputShape() {
        PackedBatch batch = batch(1);
        try (HstuModel model = HstuModel.create(withDense())) {
            PaddedSequences padded = PaddedSequences.of(batch, model.config(), model.manager());
            assertThat(padded.denseFeatures().getShape()).isEqualTo(new Shape(3, 9, DENSE));
            assertThat(padded.toNDList()).hasSize(6);
            // padding rows stay zero; the second sequence has 2 events
            assertThat(padded.denseFeatures().get("1, 2:, :").sum().getFloat()).isZero();
            assertThat(model.forward(padded, false).getShape()).isEqualTo(new Shape(3, 9, D));
            assertThat(model.encoder()
                            .forward(model.parameterStore(), padded.toNDList(), false)
                            .singletonOrThrow()
                            .getShape())
                    .isEqualTo(new Shape(3, 9, D));
            assertThat(model.encodeSequences(batch)).hasSize(batch.totalEvents() * D);

            assertThat(parameter(model, "denseProjection_weight").getArray().getShape())
                    .isEqualTo(new Shape(D, DENSE));
            assertThat(parameter(model, "denseProjection_bias").getArray().getShape())
                    .isEqualTo(new Shape(D));
        }
        try (HstuModel off = HstuModel.create(TestBatches.tiny())) {
            assertThat(off.encoder().getParameters().keys()).noneMatch(k -> k.contains("denseProjection"));
        }
    }

    @Test
    void denseFeaturesChangeTheOutputWhenOnAndOnlyTheirEventsOnward() {
        PackedBatch a = batch(1);
        PackedBatch b = batch(2);
        try (HstuModel model = HstuModel.create(withDense())) {
            float[] outA = model.encodeSequences(a);
            float[] outB = model.encodeSequences(b);
            assertThat(outB).isNotEqualTo(outA);

            // changing only the last event's features leaves every earlier position as it was (causality)
            float[] lastChanged = a.denseFeatures().clone();
            lastChanged[(a.totalEvents() - 1) * DENSE] += 1f;
            PackedBatch c = PackedBatch.of(
                    a.offsets(), a.items(), a.actions(), a.timestamps(), a.firstTarget(), lastChanged, DENSE);
            float[] outC = model.encodeSequences(c);
            int last = a.totalEvents() - 1;
            assertThat(Arrays.copyOf(outC, last * D)).containsExactly(Arrays.copyOf(outA, last * D));
            assertThat(Arrays.copyOfRange(outC, last * D, (last + 1) * D))
                    .isNotEqualTo(Arrays.copyOfRange(outA, last * D, (last + 1) * D));
        }
    }

    @Test
    void aModelWithoutDenseFeaturesIgnoresThem() {
        PackedBatch plain = TestBatches.random(new SplittableRandom(5), LENGTHS, 50);
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            float[] expected = model.encodeSequences(plain);
            assertThat(model.encodeSequences(batch(1))).containsExactly(expected);
            assertThat(model.encodeSequences(batch(2))).containsExactly(expected);
            assertThat(PaddedSequences.of(batch(1), model.config(), model.manager())
                            .denseFeatures())
                    .isNull();
        }
    }

    @Test
    void aDenseModelRefusesABatchWithoutOrWithOtherFeatures() {
        PackedBatch plain = TestBatches.random(new SplittableRandom(5), LENGTHS, 50);
        try (HstuModel model = HstuModel.create(withDense())) {
            assertThatThrownBy(() -> model.encodeQueries(plain))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("batch has 0 dense features per event but model.features.denseDim=3");
            PackedBatch two = PackedBatch.builder(2)
                    .addEvent(2, 0, 1, new float[] {1f, 2f}, 0)
                    .endSequence(0)
                    .build();
            assertThatThrownBy(() -> model.encodeQueries(two)).hasMessageContaining("batch has 2 dense features");
            NDList withoutDense = PaddedSequences.of(batch(1), model.config(), model.manager())
                    .toNDList();
            withoutDense.remove(5);
            assertThatThrownBy(() -> model.encoder().forward(model.parameterStore(), withoutDense, false))
                    .hasMessageContaining("model.features.denseDim=3 needs the denseFeatures input");
        }
    }

    @Test
    void saveAndLoadWithDenseFeaturesGiveBitIdenticalOutputs() throws IOException {
        PackedBatch batch = batch(1);
        try (HstuModel model = HstuModel.create(withDense())) {
            model.setItemRowsInUse(37);
            model.save(dir);
            try (HstuModel loaded = HstuModel.load(dir)) {
                assertThat(loaded.config().features().denseDim()).isEqualTo(DENSE);
                assertThat(loaded.config()).isEqualTo(model.config());
                assertThat(loaded.encodeSequences(batch)).containsExactly(model.encodeSequences(batch));
                assertThat(parameter(loaded, "denseProjection_weight")
                                .getArray()
                                .toFloatArray())
                        .containsExactly(parameter(model, "denseProjection_weight")
                                .getArray()
                                .toFloatArray());
            }
        }
    }

    @Test
    void trainingUpdatesTheProjection() {
        try (HstuModel model = HstuModel.create(withDense());
                HstuTrainer trainer = new HstuTrainer(model)) {
            float[] before =
                    parameter(model, "denseProjection_weight").getArray().toFloatArray();
            StepResult result = trainer.step(batch(1));
            assertThat(result.skipped()).isFalse();
            assertThat(result.loss()).isFinite();
            NDArray after = parameter(model, "denseProjection_weight").getArray();
            assertThat(after.toFloatArray()).isNotEqualTo(before);
        }
    }

    private static Parameter parameter(HstuModel model, String suffix) {
        for (Pair<String, Parameter> p : model.encoder().getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue();
            }
        }
        throw new AssertionError("no parameter ending in " + suffix + " among "
                + model.encoder().getParameters().keys());
    }
}
