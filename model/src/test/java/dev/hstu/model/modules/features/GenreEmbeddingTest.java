package dev.hstu.model.modules.features;

import static dev.hstu.model.modules.features.FeatureTestSupport.floats;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameter;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameterNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.PackedBatch;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code features.genres}: the mean embedding of each event's item genres, from the genres bitmask column. */
class GenreEmbeddingTest {

    private static final int GENRES = 5;
    private static final HstuConfig CONFIG =
            TestBatches.tiny().with("features.genres.count", GENRES).validate();
    private static final int D = 16;
    private static final int[] LENGTHS = {4, 3};

    private static PackedBatch batch(int... masks) {
        return TestBatches.random(new SplittableRandom(7), LENGTHS, 50)
                .withColumn(ColumnValues.of(GenreEmbedding.GENRE_COLUMN, masks));
    }

    private static final int[] MASKS = {0b1, 0b110, 0, 0b11111, 0b10, 0b10, 0};

    @Test
    void theFieldIsTheMeanOfTheSetGenresRowsAndZeroWithoutGenres() {
        try (HstuModel model = HstuModel.create(CONFIG);
                NDManager manager = FeatureTestSupport.manager()) {
            assertThat(parameterNames(model)).contains("preprocessor_genres");
            float[] table = floats(parameter(model, "preprocessor_genres").getArray());
            assertThat(table).hasSize(GENRES * D);
            InputFeature feature = InputFeatures.enabled(CONFIG).stream()
                    .filter(k -> k == GenreEmbedding.KIND)
                    .findFirst()
                    .orElseThrow()
                    .create(CONFIG, new FeatureRegistrar() {
                        @Override
                        public ai.djl.nn.Parameter table(String name, int rows) {
                            return parameter(model, "preprocessor_" + name);
                        }

                        @Override
                        public <B extends ai.djl.nn.Block> B child(
                                String name, B block, java.util.function.Function<Shape, Shape[]> inputShapes) {
                            throw new AssertionError("no blocks");
                        }
                    });
            NDArray masks = manager.create(new long[] {0b1, 0b110, 0, 0b11111}, new Shape(1, 4));
            NDArray out = feature.fields(
                            new ParameterStore(manager, false), new FeatureInputs(Map.of(GenreEmbedding.COLUMN, masks)))
                    .singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(1, 4, D));
            float[] v = floats(out);
            for (int c = 0; c < D; c++) {
                assertThat(v[c]).isCloseTo(table[c], within(1e-6f));
                assertThat(v[D + c]).isCloseTo((table[D + c] + table[2 * D + c]) / 2, within(1e-6f));
                assertThat(v[2 * D + c]).as("no genres").isZero();
                float mean = 0f;
                for (int g = 0; g < GENRES; g++) {
                    mean += table[g * D + c] / GENRES;
                }
                assertThat(v[3 * D + c]).isCloseTo(mean, within(1e-6f));
            }
        }
    }

    @Test
    void onlyTheEventWhoseGenresDifferChangesAndValuesStayFinite() {
        int[] changed = MASKS.clone();
        changed[4] = 0b1000;
        try (HstuModel model = HstuModel.create(CONFIG)) {
            float[] before = model.encodeSequences(batch(MASKS));
            float[] after = model.encodeSequences(batch(changed));
            for (float x : after) {
                assertThat(Float.isFinite(x)).isTrue();
            }
            // event 4 is the first of the second sequence: it and the later ones change, the first sequence not
            assertThat(Arrays.copyOfRange(after, 0, 4 * D)).containsExactly(Arrays.copyOfRange(before, 0, 4 * D));
            assertThat(Arrays.copyOfRange(after, 4 * D, 5 * D)).isNotEqualTo(Arrays.copyOfRange(before, 4 * D, 5 * D));
        }
    }

    @Test
    void aModelWithoutGenresHasNoTableAndIgnoresTheColumnAndOneWithGenresNeedsIt() {
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            assertThat(parameterNames(model)).noneMatch(n -> n.contains("genres"));
            assertThat(model.encodeSequences(batch(MASKS)))
                    .containsExactly(model.encodeSequences(TestBatches.random(new SplittableRandom(7), LENGTHS, 50)));
        }
        try (HstuModel model = HstuModel.create(CONFIG)) {
            assertThatThrownBy(() -> model.encodeSequences(TestBatches.random(new SplittableRandom(7), LENGTHS, 50)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no column genres");
        }
        assertThatThrownBy(() ->
                        TestBatches.tiny().with("features.genres.count", 32).validate())
                .hasMessageContaining("features.genres.count");
    }
}
