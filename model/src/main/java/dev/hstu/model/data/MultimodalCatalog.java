package dev.hstu.model.data;

import dev.hstu.formats.vectors.MultimodalEmbeddingFiles;
import dev.hstu.model.config.HstuConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fixed multimodal embeddings of a catalogue keyed by external item id, for a model whose item
 * vocabulary grows while it trains: rows are assigned as items arrive, so the vectors are kept by id
 * and copied into the {@link MultimodalItemTables} rows as the rows appear ({@link #fill}).
 *
 * <p>Held on the heap, one array per item and feature: fine for catalogues of the bundled size and
 * small widths; the seed's widths of thousands of floats over millions of items need the tables
 * sharded or memory-mapped instead (not done).
 */
public final class MultimodalCatalog {

    private final Map<Integer, Integer> dims;
    private final Map<Integer, Map<Long, float[]>> vectors;

    private MultimodalCatalog(Map<Integer, Integer> dims, Map<Integer, Map<Long, float[]>> vectors) {
        this.dims = dims;
        this.vectors = vectors;
    }

    /**
     * @param dims feature id to width (the model's {@code multimodalDims})
     * @param files feature id to its file or directory ({@link MultimodalEmbeddingFiles} formats)
     * @return every vector of the files
     * @throws IOException on a read error, a malformed file, or a vector of another width, naming it
     * @throws IllegalArgumentException unless there is exactly one file per feature
     */
    public static MultimodalCatalog load(Map<Integer, Integer> dims, Map<Integer, Path> files) throws IOException {
        if (!dims.keySet().equals(files.keySet())) {
            throw new IllegalArgumentException("multimodal files are given for features "
                    + new TreeMap<>(files).keySet() + " but the model takes " + new TreeMap<>(dims).keySet());
        }
        Map<Integer, Map<Long, float[]>> vectors = new TreeMap<>();
        for (Map.Entry<Integer, Path> e : new TreeMap<>(files).entrySet()) {
            int feature = e.getKey();
            int width = dims.get(feature);
            Map<Long, float[]> byId = new HashMap<>();
            MultimodalEmbeddingFiles.forEach(e.getValue(), (where, id, vector) -> {
                if (vector.length != width) {
                    throw new IOException(where + ": feature " + feature + " has width " + width + ", this vector "
                            + vector.length + " floats");
                }
                for (float v : vector) {
                    if (!Float.isFinite(v)) {
                        throw new IOException(
                                where + ": a non-finite float in the vector of item " + Long.toUnsignedString(id));
                    }
                }
                byId.put(id, vector);
                return true;
            });
            vectors.put(feature, byId);
        }
        return new MultimodalCatalog(new TreeMap<>(dims), vectors);
    }

    /**
     * @param config the model the catalogue feeds
     * @throws IllegalArgumentException if its features or widths differ
     */
    public void checkFits(HstuConfig config) {
        if (!config.features().multimodalDims().equals(dims)) {
            throw new IllegalArgumentException(
                    "multimodal files of widths " + dims + " do not fit model.features.multimodalDims="
                            + config.features().multimodalDims());
        }
    }

    /**
     * Copies the vectors of the items at rows {@code [fromRow, toRow)} into the tables.
     *
     * @param tables the tables
     * @param vocabulary the item of each row
     * @param fromRow first row ({@code >= 2})
     * @param toRow end row (exclusive, at most {@code vocabulary.size()})
     * @return rows given at least one vector
     */
    public int fill(MultimodalItemTables tables, ItemVocabulary vocabulary, int fromRow, int toRow) {
        int covered = 0;
        for (int row = Math.max(fromRow, ItemVocabulary.FIRST_ITEM); row < toRow; row++) {
            long id = vocabulary.idOf(row);
            boolean any = false;
            for (Map.Entry<Integer, Map<Long, float[]>> e : vectors.entrySet()) {
                float[] vector = e.getValue().get(id);
                if (vector != null) {
                    tables.put(e.getKey(), row, vector);
                    any = true;
                }
            }
            covered += any ? 1 : 0;
        }
        return covered;
    }

    /** @return items with a vector of any feature */
    public int items() {
        return vectors.values().stream().mapToInt(Map::size).max().orElse(0);
    }
}
