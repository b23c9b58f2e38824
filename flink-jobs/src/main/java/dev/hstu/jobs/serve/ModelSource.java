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

    ScoringModel load(ModelVersion manifest);
}
