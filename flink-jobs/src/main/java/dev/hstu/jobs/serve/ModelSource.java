package dev.hstu.jobs.serve;

import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.config.FeatureSettings;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.MultimodalCatalog;
import dev.hstu.model.serve.ScoringModel;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads and verifies the model version a manifest announces; throws if it cannot. */
@FunctionalInterface
public interface ModelSource extends Serializable {

    /** Reads the version's directory, as the trainer published it, onto the device it was trained on. */
    ModelSource FILES = ScoringModel::load;

    /**
     * Reads the version's directory onto {@code device} (the serving job's {@code model.runtime.device}), whatever device
     * trained it.
     */
    static ModelSource files(String device) {
        return manifest -> ScoringModel.load(manifest, device);
    }

    /**
     * Like {@link #files(String)}, refusing a version whose model takes another number of dense features per event
     * than the job attaches ({@code featureDim}: the CTR channels, or 0): serving it would score every user with
     * zeros, or without the features, where it was trained with them.
     */
    static ModelSource files(String device, int featureDim) {
        return files(device, featureDim, false);
    }

    /**
     * Like {@link #files(String, int)}, also refusing a version that takes user features when this job does not
     * read them ({@code userFeatures}: the job's {@code model.features.userFeatures.slots > 0}), or the reverse.
     */
    static ModelSource files(String device, int featureDim, boolean userFeatures) {
        return files(device, featureDim, userFeatures, FeatureSettings.defaults());
    }

    /**
     * Like {@link #files(String, int, boolean)}, attaching the multimodal item embeddings of {@code features} to a
     * version whose model takes them; the files are read once per JVM and kept for the versions that follow.
     */
    static ModelSource files(String device, int featureDim, boolean userFeatures, FeatureSettings features) {
        return manifest -> {
            ScoringModel model = ScoringModel.load(manifest, device, MultimodalCatalogs.of(features, manifest));
            if (model.denseFeatureDim() != featureDim) {
                model.close();
                throw new IllegalStateException("model version " + manifest.version() + " takes "
                        + model.denseFeatureDim() + " dense features per event (model.features.denseDim), this job "
                        + "attaches " + featureDim + " (the ctr section): configure both jobs' ctr sections alike");
            }
            if ((model.userFeatureSlots() > 0) != userFeatures) {
                int slots = model.userFeatureSlots();
                model.close();
                throw new IllegalStateException("model version " + manifest.version() + " takes " + slots
                        + " user-feature slots (model.features.userFeatures.slots), this job "
                        + (userFeatures ? "reads" : "skips")
                        + " user_feat: configure both jobs' model.features.userFeatures.slots alike");
            }
            return model;
        };
    }

    ScoringModel load(ModelVersion manifest);

    /** The catalogues read so far, by their files: versions follow each other, the files stay the same. */
    final class MultimodalCatalogs {
        private static final Map<Map<Integer, String>, MultimodalCatalog> LOADED = new ConcurrentHashMap<>();

        private MultimodalCatalogs() {}

        /** The catalogue for the version's model, null when it takes no multimodal features. */
        static MultimodalCatalog of(FeatureSettings features, ModelVersion manifest) {
            if (features.multimodalFiles().isEmpty()) {
                return null;
            }
            return LOADED.computeIfAbsent(features.multimodalFiles(), files -> {
                try {
                    HstuConfig config = HstuConfig.read(Path.of(manifest.path()).resolve(ModelFiles.CONFIG));
                    return features.catalog(config);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read features.multimodalFiles " + files, e);
                }
            });
        }
    }
}
