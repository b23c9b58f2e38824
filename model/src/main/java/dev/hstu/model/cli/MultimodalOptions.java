package dev.hstu.model.cli;

import dev.hstu.formats.vectors.MultimodalEmbeddingFiles;
import dev.hstu.model.HstuModel;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.MultimodalItemTables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * The files of a model's fixed multimodal item embeddings, one per feature of {@code
 * model.features.multimodalDims}: they are data, not saved with the model, so every command that runs one
 * needs them.
 */
public final class MultimodalOptions {

    @Option(
            names = "--multimodal",
            paramLabel = "ID=PATH",
            description =
                    "fixed item embeddings of multimodal feature ID (one per id of model.features.multimodalDims): JSON lines "
                            + "{\"anonymous_cid\": id, \"emb\": [...]}, a directory of them, or X.fbin with the ids in X_id.u64bin")
    Map<Integer, Path> files = new TreeMap<>();

    /**
     * Loads the files into the model's tables; a model without multimodal features takes none.
     *
     * @param model the model
     * @param vocabulary the item rows the files' ids map to
     * @param log where a line per feature reports its coverage
     * @throws IOException on a read error or a malformed file
     * @throws IllegalArgumentException unless there is exactly one file per configured feature
     */
    public void attach(HstuModel model, ItemVocabulary vocabulary, PrintStream log) throws IOException {
        Map<Integer, Integer> dims = model.config().features().multimodalDims();
        if (!dims.keySet().equals(files.keySet())) {
            throw new IllegalArgumentException(
                    "give one --multimodal ID=PATH per feature of model.features.multimodalDims=" + dims.keySet()
                            + ", got " + files.keySet());
        }
        if (dims.isEmpty()) {
            return;
        }
        MultimodalItemTables tables = MultimodalItemTables.forConfig(model.config());
        for (Map.Entry<Integer, Path> e : files.entrySet()) {
            MultimodalEmbeddingFiles.Loaded loaded = tables.load(e.getValue(), e.getKey(), vocabulary::indexOf);
            log.printf(
                    "multimodal feature %d: %d vectors in %s, %d items of %d have one%n",
                    e.getKey(),
                    loaded.vectors(),
                    e.getValue(),
                    tables.itemsWithVector(e.getKey()),
                    vocabulary.size() - ItemVocabulary.FIRST_ITEM);
        }
        model.setMultimodalTables(tables);
    }
}
