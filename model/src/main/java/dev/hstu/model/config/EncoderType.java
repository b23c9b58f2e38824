package dev.hstu.model.config;

/** Which sequence layers sit between the input preprocessor and the output normalisation. */
public enum EncoderType {
    /** HSTU's STU layers: pointwise SiLU attention with relative position/time bias and gating. */
    HSTU,
    /**
     * The SASRec-style baseline: pre-norm softmax multi-head causal self-attention plus a
     * position-wise feed-forward network, same inputs, loss and training loop.
     */
    TRANSFORMER
}
