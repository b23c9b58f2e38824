package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.MultimodalCatalog;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Data files the model's optional inputs read, not saved with it.
 *
 * @param multimodalFiles per feature of {@code model.features.multimodalDims}, its fixed item embeddings (files of other
 *                        features are not read): JSON lines
 *                        {@code {"anonymous_cid": id, "emb": [...]}}, a directory of them (the seed's
 *                        {@code creative_emb/emb_<id>_<width>}), or {@code X.fbin} with {@code X_id.u64bin}
 */
public record FeatureSettings(
        @JsonProperty("multimodalFiles") Map<Integer, String> multimodalFiles) implements Serializable {

    public FeatureSettings {
        multimodalFiles = multimodalFiles == null ? Map.of() : Map.copyOf(multimodalFiles);
    }

    public static FeatureSettings defaults() {
        return new FeatureSettings(null);
    }

    /** The files as paths, by feature id. */
    public Map<Integer, Path> multimodalPaths() {
        Map<Integer, Path> paths = new TreeMap<>();
        multimodalFiles.forEach((feature, file) -> paths.put(feature, Path.of(file)));
        return paths;
    }

    /**
     * Reads the item embeddings of the model's multimodal features.
     *
     * @return null when the model takes none
     * @throws IOException on a read error or a malformed file, naming it
     */
    public MultimodalCatalog catalog(HstuConfig model) throws IOException {
        if (model.features().multimodalDims().isEmpty()) {
            return null;
        }
        Map<Integer, Path> files = multimodalPaths();
        files.keySet().retainAll(model.features().multimodalDims().keySet());
        return MultimodalCatalog.load(model.features().multimodalDims(), files);
    }

    /** A copy with these files. */
    public FeatureSettings withMultimodalFiles(Map<Integer, String> files) {
        return new FeatureSettings(files);
    }

    void check(List<String> problems, Set<Integer> multimodalFeatures) {
        Set<Integer> missing = new TreeSet<>(multimodalFeatures);
        missing.removeAll(multimodalFiles.keySet());
        if (!missing.isEmpty()) {
            problems.add("features.multimodalFiles must name a file for every feature of model.features.multimodalDims "
                    + new TreeSet<>(multimodalFeatures) + ", it has none for " + missing);
        }
        multimodalFiles.forEach((feature, file) -> {
            if (multimodalFeatures.contains(feature) && !Files.exists(Path.of(file))) {
                problems.add("features.multimodalFiles." + feature + ": "
                        + Path.of(file).toAbsolutePath() + " does not exist");
            }
        });
    }
}
