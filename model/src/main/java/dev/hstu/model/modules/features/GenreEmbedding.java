package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.hstu.formats.movielens.MovieLensMovies;
import dev.hstu.model.config.Checks;
import dev.hstu.model.config.Doc;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.SectionDeserializer;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.io.ItemSideColumn;
import java.util.List;

/**
 * With {@code features.genres}: the mean of the learned rows of the event's item genres, {@code g = sum_k b_k E[k] /
 * max(1, sum_k b_k)} with {@code b_k} bit {@code k} of the event's {@link #COLUMN} mask, so an item without genres
 * (and padding) adds zero. A mean, like the user features, keeps a many-genre item on the scale of a one-genre item.
 * Offline, the column is read from MovieLens's {@code movies.csv} (the side file {@code movies}).
 */
public final class GenreEmbedding implements InputFeature {

    /** The per-event genre bitmask column: bit {@code k} set when the item has genre {@code k}. */
    public static final String COLUMN = "genres";

    /** The genre column a batch carries for this feature. */
    public static final FeatureColumn GENRE_COLUMN = FeatureColumn.event(COLUMN, FeatureColumn.ElementType.INT, 1);

    /** On with {@code features.genres}; reads the {@link #GENRE_COLUMN}. */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return config.features().genres() != null;
        }

        @Override
        public List<FeatureColumn> columns(HstuConfig config) {
            return List.of(GENRE_COLUMN);
        }

        @Override
        public List<ItemSideColumn> sideColumns(HstuConfig config) {
            return List.of(sideColumn(config.features().genres().count(), "features.genres"));
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            return new GenreEmbedding(
                    registrar.table("genres", config.features().genres().count()));
        }
    };

    /**
     * The genre bitmasks of {@code movies.csv} by movie, for the genres of {@code count} bits; the item tower of
     * Match reads the same side file.
     *
     * @param count genres the reader's consumer has bits for
     * @param key the settings' key without {@code model.}, for the message when {@code count} is too small
     * @return the side column
     */
    public static ItemSideColumn sideColumn(int count, String key) {
        return new ItemSideColumn(GENRE_COLUMN, "movies", "movies.csv", path -> {
            if (count < MovieLensMovies.GENRES.size()) {
                throw new IllegalArgumentException("model." + key + ".count must be >= " + MovieLensMovies.GENRES.size()
                        + " for the genres of " + path + ", got " + count);
            }
            return InteractionFiles.movies(path, MovieLensMovies.Movie::genres);
        });
    }

    /**
     * The feature's settings, {@code model.features.genres}.
     *
     * @param count genres: the bits of the column and the rows of the table
     */
    @JsonDeserialize(using = SectionDeserializer.class)
    public record Config(
            @Doc("genres, the bits of the genres column and the rows of the genre table (19: MovieLens's genres)")
            int count) {

        private static final Config DEFAULTS = new Config(MovieLensMovies.GENRES.size());

        /** @return MovieLens's 19 genres */
        public static Config defaults() {
            return DEFAULTS;
        }

        /** @param problems where each invalid setting is reported */
        public void check(List<String> problems) {
            check(problems, "features.genres");
        }

        /**
         * @param problems where each invalid setting is reported
         * @param key the section's key, without {@code model.}
         */
        public void check(List<String> problems, String key) {
            Checks.require(
                    problems, count >= 1 && count <= 31, key + ".count", "must be in [1, 31] (an int bitmask)", count);
        }
    }

    private final Parameter table;

    private GenreEmbedding(Parameter table) {
        this.table = table;
    }

    @Override
    public String name() {
        return "genres";
    }

    @Override
    public List<String> reads() {
        return List.of(COLUMN);
    }

    /** @return one {@code [B, L, d]} field */
    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        NDArray masks = inputs.require(
                COLUMN, "model.features.genres needs the genres column (pack batches with the feature's columns)");
        NDArray t = ps.getValue(table, masks.getDevice(), false);
        NDArray bits = bits(masks, t.getShape().get(0)).toType(t.getDataType(), false); // [B, L, G]
        NDArray weights = bits.div(bits.sum(new int[] {-1}, true).maximum(1f));
        return new NDList(weights.matMul(t));
    }

    /** @return {@code [B, L, count]} boolean, bit {@code k} of each mask, by exact int64 remainders */
    private static NDArray bits(NDArray masks, long count) {
        long[] low = new long[(int) count];
        long[] high = new long[(int) count];
        for (int k = 0; k < count; k++) {
            low[k] = 1L << k;
            high[k] = 1L << (k + 1);
        }
        NDArray m = masks.toType(DataType.INT64, false).expandDims(-1);
        return m.mod(masks.getManager().create(high)).gte(masks.getManager().create(low));
    }
}
