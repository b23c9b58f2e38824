package dev.hstu.jobs.serve;

import dev.hstu.jobs.train.ModelVersion;

import java.io.Serializable;

/** Loads and verifies the model version a manifest announces; throws if it cannot. */
@FunctionalInterface
public interface ModelSource extends Serializable {

    /** Reads the version's directory, as the trainer published it, onto the device it was trained on. */
    ModelSource FILES = ScoringModel::load;

    /**
     * Reads the version's directory onto {@code device} (the serving job's {@code model.device}), whatever device
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
     * read them ({@code userFeatures}: the job's {@code model.userFeatureSlots > 0}), or the reverse.
     */
    static ModelSource files(String device, int featureDim, boolean userFeatures) {
        return manifest -> {
            ScoringModel model = ScoringModel.load(manifest, device);
            if (model.denseFeatureDim() != featureDim) {
                model.close();
                throw new IllegalStateException("model version " + manifest.version() + " takes "
                        + model.denseFeatureDim() + " dense features per event (model.denseFeatureDim), this job "
                        + "attaches " + featureDim + " (the ctr section): configure both jobs' ctr sections alike");
            }
            if ((model.userFeatureSlots() > 0) != userFeatures) {
                int slots = model.userFeatureSlots();
                model.close();
                throw new IllegalStateException("model version " + manifest.version() + " takes " + slots
                        + " user-feature slots (model.userFeatureSlots), this job " + (userFeatures ? "reads" : "skips")
                        + " user_feat: configure both jobs' model.userFeatureSlots alike");
            }
            return model;
        };
    }

    ScoringModel load(ModelVersion manifest);
}
