package dev.hstu.model.modules.features;

import static dev.hstu.model.modules.features.FeatureTestSupport.floats;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameter;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameterNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.io.ItemSideColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code features.releaseYear}: a learned row per release era, from the release_year column of movies.csv. */
class ReleaseYearEmbeddingTest {

    private static final HstuConfig CONFIG = TestBatches.tiny()
            .with("features.releaseYear.firstYear", 1950)
            .with("features.releaseYear.lastYear", 2009)
            .with("features.releaseYear.bucketYears", 10)
            .validate();
    private static final int D = 16;
    private static final int[] LENGTHS = {4, 3};

    @TempDir
    Path dir;

    @Test
    void yearsGoToTheirBucketsClampedAndTheSideFileGivesBucketPlusOneOrZero() throws Exception {
        ReleaseYearEmbedding.Config c = CONFIG.features().releaseYear();
        assertThat(c.buckets()).isEqualTo(6);
        assertThat(c.bucket(1950)).isZero();
        assertThat(c.bucket(1959)).isZero();
        assertThat(c.bucket(1960)).isEqualTo(1);
        assertThat(c.bucket(1900)).isZero();
        assertThat(c.bucket(2009)).isEqualTo(5);
        assertThat(c.bucket(2030)).isEqualTo(5);

        Path movies = dir.resolve("movies.csv");
        Files.writeString(
                movies, "movieId,title,genres\n1,Heat (1995),Action\n2,Babylon 5,Drama\n3,\"Old, The (1921)\",Drama\n");
        ItemSideColumn side = ReleaseYearEmbedding.KIND.sideColumns(CONFIG).get(0);
        assertThat(side.file()).isEqualTo("movies");
        assertThat(side.reader().read(movies)).isEqualTo(Map.of(1L, 1 + 4, 2L, 0, 3L, 1));
    }

    @Test
    void theFieldIsTheBucketsRowAndZeroWithoutAYear() {
        try (HstuModel model = HstuModel.create(CONFIG);
                NDManager manager = FeatureTestSupport.manager()) {
            assertThat(parameterNames(model)).contains("preprocessor_release_year");
            float[] table = floats(parameter(model, "preprocessor_release_year").getArray());
            assertThat(table).hasSize(7 * D);
            InputFeature feature = ReleaseYearEmbedding.KIND.create(CONFIG, new FeatureRegistrar() {
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
            NDArray rows = manager.create(new int[] {3, 0, 6}, new Shape(1, 3));
            float[] v = floats(feature.fields(
                            new ParameterStore(manager, false),
                            new FeatureInputs(Map.of(ReleaseYearEmbedding.COLUMN.name(), rows)))
                    .singletonOrThrow());
            assertThat(Arrays.copyOfRange(v, 0, D)).containsExactly(Arrays.copyOfRange(table, 3 * D, 4 * D));
            for (int c = D; c < 2 * D; c++) {
                assertThat(Math.abs(v[c])).as("no year").isEqualTo(0f);
            }
            assertThat(Arrays.copyOfRange(v, 2 * D, 3 * D)).containsExactly(Arrays.copyOfRange(table, 6 * D, 7 * D));
        }
    }

    @Test
    void theModelReadsTheColumnAndRefusesABatchWithoutItAndBadSettings() {
        PackedBatch plain = TestBatches.random(new SplittableRandom(7), LENGTHS, 50);
        PackedBatch withYears =
                plain.withColumn(ColumnValues.of(ReleaseYearEmbedding.COLUMN, new int[] {1, 2, 0, 6, 3, 3, 0}));
        PackedBatch otherYears =
                plain.withColumn(ColumnValues.of(ReleaseYearEmbedding.COLUMN, new int[] {1, 2, 0, 6, 4, 3, 0}));
        try (HstuModel model = HstuModel.create(CONFIG)) {
            float[] before = model.encodeSequences(withYears);
            float[] after = model.encodeSequences(otherYears);
            assertThat(Arrays.copyOfRange(after, 0, 4 * D)).containsExactly(Arrays.copyOfRange(before, 0, 4 * D));
            assertThat(Arrays.copyOfRange(after, 4 * D, 5 * D)).isNotEqualTo(Arrays.copyOfRange(before, 4 * D, 5 * D));
            assertThatThrownBy(() -> model.encodeSequences(plain)).hasMessageContaining("no column release_year");
        }
        assertThatThrownBy(() -> TestBatches.tiny()
                        .with("features.releaseYear.bucketYears", 0)
                        .with("features.releaseYear.lastYear", 1800)
                        .validate())
                .hasMessageContaining("features.releaseYear.bucketYears")
                .hasMessageContaining("features.releaseYear.lastYear");
    }
}
