package dev.hstu.model.config;

/**
 * What the pointwise (softmax-free) HSTU attention of a query row is divided by.
 *
 * <p>HSTU replaces softmax by {@code SiLU(qk)/n}; {@code n} keeps the attention output on the
 * same scale whatever the sequence length.
 */
public enum AttentionNorm {
    /**
     * {@code n} = the number of valid keys the query row may attend to (its causal prefix, {@code
     * position + 1}). An output then depends on its prefix only, never on how many events follow
     * it, which is what incremental (streaming, KV-cached) encoding needs.
     */
    VALID_KEYS,
    /** {@code n} = {@code maxSeqLen}, a constant, as in the paper's reference implementation. */
    MAX_LEN
}
