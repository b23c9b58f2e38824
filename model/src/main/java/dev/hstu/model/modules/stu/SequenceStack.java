package dev.hstu.model.modules.stu;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** The layers between the input preprocessor and the output normalisation of an encoder. */
public interface SequenceStack {

    /**
     * @param ps parameter store
     * @param x {@code [B, L, d]} preprocessed inputs
     * @param structure masks and buckets of this batch
     * @param training enables dropout
     * @return {@code [B, L, d]}
     */
    NDArray apply(ParameterStore ps, NDArray x, AttentionStructure structure, boolean training);
}
