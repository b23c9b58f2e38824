package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn;
import java.util.List;

/**
 * With {@code features.genres}: the mean of the learned rows of the event's item genres, {@code g = sum_k b_k E[k] /
 * max(1, sum_k b_k)} with {@code b_k} bit {@code k} of the event's {@link #COLUMN} mask, so an item without genres
 * (and padding) adds zero. A mean, like the user features, keeps a many-genre item on the scale of a one-genre item.
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
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            return new GenreEmbedding(
                    registrar.table("genres", config.features().genres().count()));
        }
    };

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
