package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.hstu.model.config.Checks;
import dev.hstu.model.config.Doc;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.SectionDeserializer;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.io.ItemSideColumn;
import java.util.List;

/**
 * With {@code features.releaseYear}: a learned row for the era of the event's item, the release year that its
 * MovieLens title ends with, in buckets of {@code bucketYears} from {@code firstYear} (years outside the range go
 * to the first or last bucket). The column holds the bucket plus one, so 0 (padding, or a title without a year)
 * adds zero: an era says how old a movie was when it was watched, which the item id learns only for items seen
 * often.
 */
public final class ReleaseYearEmbedding implements InputFeature {

    /** The per-event column: 0 for no year, else {@code 1 + bucket}. */
    public static final FeatureColumn COLUMN = FeatureColumn.event("release_year", FeatureColumn.ElementType.INT, 1);

    /** On with {@code features.releaseYear}; its column is read from {@code movies.csv}. */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return config.features().releaseYear() != null;
        }

        @Override
        public List<FeatureColumn> columns(HstuConfig config) {
            return List.of(COLUMN);
        }

        @Override
        public List<ItemSideColumn> sideColumns(HstuConfig config) {
            Config c = config.features().releaseYear();
            return List.of(new ItemSideColumn(
                    COLUMN,
                    "movies",
                    "movies.csv",
                    path -> InteractionFiles.movies(
                            path,
                            m -> m.year().isPresent() ? 1 + c.bucket(m.year().getAsInt()) : 0)));
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            return new ReleaseYearEmbedding(registrar.table(
                    "release_year", 1 + config.features().releaseYear().buckets()));
        }
    };

    /**
     * The feature's settings, {@code model.features.releaseYear}.
     *
     * @param firstYear the first year of the first bucket
     * @param lastYear the last year of the last bucket
     * @param bucketYears years per bucket
     */
    @JsonDeserialize(using = SectionDeserializer.class)
    public record Config(
            @Doc("the first year of the first bucket; earlier years join it")
            int firstYear,

            @Doc("the last year of the last bucket; later years join it")
            int lastYear,

            @Doc("years per bucket") int bucketYears) {

        private static final Config DEFAULTS = new Config(1900, 2024, 5);

        /** @return 1900 to 2024 in buckets of five years */
        public static Config defaults() {
            return DEFAULTS;
        }

        /** @return the buckets of the range */
        public int buckets() {
            return (lastYear - firstYear) / bucketYears + 1;
        }

        /**
         * @param year a release year
         * @return its bucket, {@code 0..buckets()-1}
         */
        public int bucket(int year) {
            return (Math.min(Math.max(year, firstYear), lastYear) - firstYear) / bucketYears;
        }

        /** @param problems where each invalid setting is reported */
        public void check(List<String> problems) {
            Checks.require(
                    problems, lastYear >= firstYear, "features.releaseYear.lastYear", "must be >= firstYear", lastYear);
            Checks.require(problems, bucketYears >= 1, "features.releaseYear.bucketYears", "must be >= 1", bucketYears);
        }
    }

    private final Parameter table;

    private ReleaseYearEmbedding(Parameter table) {
        this.table = table;
    }

    @Override
    public String name() {
        return "release_year";
    }

    @Override
    public List<String> reads() {
        return List.of(COLUMN.name());
    }

    /** @return one {@code [B, L, d]} field, zero where the column is 0 */
    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        NDArray rows = inputs.require(
                COLUMN.name(),
                "model.features.releaseYear needs the release_year column (pack batches with the feature's columns)");
        NDArray looked = TableLookup.lookup(ps, table, rows);
        NDArray known = rows.gt(0).toType(looked.getDataType(), false).expandDims(-1);
        return new NDList(looked.mul(known));
    }
}
