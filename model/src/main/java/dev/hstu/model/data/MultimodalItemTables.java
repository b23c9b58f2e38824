package dev.hstu.model.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.formats.vectors.MultimodalEmbeddingFiles;
import dev.hstu.model.config.HstuConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongToIntFunction;

/**
 * The fixed multimodal embeddings of every item row, host side: per configured feature one {@code
 * [itemCapacity, width]} float table, zero for rows without a vector (padding, out-of-vocabulary,
 * items the files do not cover).
 *
 * <p>Built once from files ({@link #load}) and uploaded to the device once,
 * so a training step finds an event's vectors with one gather per feature. One table per feature
 * rather than one for all: the seed's features reach 4096 floats each, and a single table of all
 * of them would outgrow what one upload (a 2 GiB buffer) holds. Rows may be filled again later (new
 * items of a growing vocabulary) and the tables uploaded anew.
 */
public final class MultimodalItemTables {

    private final int capacity;
    private final Map<Integer, Integer> dims;
    private final Map<Integer, float[]> rows = new LinkedHashMap<>();
    private final Map<Integer, BitSet> covered = new LinkedHashMap<>();

    private MultimodalItemTables(int capacity, Map<Integer, Integer> dims) {
        this.capacity = capacity;
        this.dims = dims;
        for (Map.Entry<Integer, Integer> e : dims.entrySet()) {
            rows.put(e.getKey(), new float[Math.multiplyExact(capacity, e.getValue())]);
            covered.put(e.getKey(), new BitSet());
        }
    }

    /**
     * @param config a model configuration with {@code multimodalDims}
     * @return empty (all-zero) tables of the model's item capacity and feature widths
     * @throws IllegalArgumentException if the config has no multimodal features
     */
    public static MultimodalItemTables forConfig(HstuConfig config) {
        if (config.features().multimodalDims().isEmpty()) {
            throw new IllegalArgumentException(
                    "model.features.multimodalDims is empty: the model takes no multimodal item tables");
        }
        return new MultimodalItemTables(
                config.items().capacity(), config.features().multimodalDims());
    }

    /**
     * Sets one item's vector of one feature.
     *
     * @param featureId a configured feature id
     * @param item dense item row in {@code [2, itemCapacity)}
     * @param vector the feature's width of finite floats (copied)
     * @throws IllegalArgumentException naming the feature, item and what does not fit
     */
    public void put(int featureId, int item, float[] vector) {
        float[] table = table(featureId);
        if (item < ItemVocabulary.FIRST_ITEM || item >= capacity) {
            throw new IllegalArgumentException("multimodal feature " + featureId + ": item row " + item
                    + " is outside [2, model.items.capacity=" + capacity + ")");
        }
        int dim = dims.get(featureId);
        if (vector.length != dim) {
            throw new IllegalArgumentException("multimodal feature " + featureId + " has width " + dim
                    + " but item row " + item + "'s vector has " + vector.length + " floats");
        }
        for (int i = 0; i < dim; i++) {
            // one NaN would spread through the shared projection to every event's input
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException("multimodal feature " + featureId + ", item row " + item + ": float "
                        + i + " must be finite, got " + vector[i]);
            }
        }
        System.arraycopy(vector, 0, table, item * dim, dim);
        covered.get(featureId).set(item);
    }

    private float[] table(int featureId) {
        float[] table = rows.get(featureId);
        if (table == null) {
            throw new IllegalArgumentException(
                    "multimodal feature " + featureId + " is not in model.features.multimodalDims=" + dims);
        }
        return table;
    }

    /**
     * @param featureId a configured feature id
     * @return item rows that have a vector of this feature
     */
    public int itemsWithVector(int featureId) {
        table(featureId);
        return covered.get(featureId).cardinality();
    }

    /**
     * @param config the model the tables are for
     * @throws IllegalArgumentException if its item capacity or feature widths differ
     */
    public void checkFits(HstuConfig config) {
        if (config.items().capacity() != capacity
                || !config.features().multimodalDims().equals(dims)) {
            throw new IllegalArgumentException("multimodal tables of " + capacity + " rows with widths " + dims
                    + " do not fit model.items.capacity=" + config.items().capacity()
                    + ", model.features.multimodalDims=" + config.features().multimodalDims());
        }
    }

    /**
     * @param manager where the arrays are created (their device)
     * @return one {@code [itemCapacity, width]} float32 table per feature, in ascending feature id
     *     order
     */
    public NDList toNDList(NDManager manager) {
        NDList tables = new NDList(rows.size());
        for (Map.Entry<Integer, float[]> e : rows.entrySet()) {
            tables.add(manager.create(e.getValue(), new Shape(capacity, dims.get(e.getKey()))));
        }
        return tables;
    }

    /** @return item rows, including the two reserved ones */
    public int capacity() {
        return capacity;
    }

    /**
     * Reads one feature's embedding files ({@link MultimodalEmbeddingFiles} formats) into its table. Ids without a
     * row are skipped (their vectors would have nowhere to go); a later vector for one id replaces an earlier one.
     *
     * @param path an {@code .fbin} file, a JSON-lines file or a directory of them
     * @param featureId the feature the vectors belong to
     * @param itemRow external item id to dense row, below {@value ItemVocabulary#FIRST_ITEM} when unknown (e.g.
     *     {@code vocabulary::indexOf})
     * @return what was read and stored
     * @throws IOException on a read error, a malformed file or a vector that does not fit, naming the file and line
     */
    public MultimodalEmbeddingFiles.Loaded load(Path path, int featureId, LongToIntFunction itemRow)
            throws IOException {
        return MultimodalEmbeddingFiles.forEach(path, (where, id, vector) -> {
            int row = itemRow.applyAsInt(id);
            if (row < ItemVocabulary.FIRST_ITEM || row >= capacity) {
                return false;
            }
            try {
                put(featureId, row, vector);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage(), e);
            }
            return true;
        });
    }
}
