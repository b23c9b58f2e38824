package dev.hstu.jobs.serve;

import dev.hstu.jobs.train.ModelVersion;

import java.io.Serializable;

/** Loads and verifies the model version a manifest announces; throws if it cannot. */
@FunctionalInterface
public interface ModelSource extends Serializable {

    /** Reads the version's directory, as the trainer published it. */
    ModelSource FILES = ScoringModel::load;

    ScoringModel load(ModelVersion manifest);
}
