package dev.hstu.model.config;

/** Normalisation applied before each STU layer and to the attention output inside it. */
public enum NormType {
    /** Mean/variance normalisation with a learned scale and shift. */
    LAYER,
    /** Root-mean-square normalisation with a learned scale (no centring, no shift). */
    RMS
}
