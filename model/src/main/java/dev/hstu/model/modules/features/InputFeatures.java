package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;

/**
 * The padded per-event and per-sequence inputs the {@link InputPreprocessor} reads next to the
 * item embeddings; an input the model's config turns off may be null.
 *
 * @param items {@code [B, L]} int64 item rows (the multimodal tables are looked up by them)
 * @param actions {@code [B, L]} int64 action bitmasks
 * @param timestamps {@code [B, L]} int64 seconds (any per-sequence origin)
 * @param hourOfWeek {@code [B, L]} int64 in {@code [0, 168)}
 * @param denseFeatures {@code [B, L, denseFeatureDim]} float
 * @param userFeatureRows {@code [B, K]} int64 rows of the hashed user-feature table
 * @param userFeatureWeights {@code [B, K]} float mean-pooling weights of those rows
 */
public record InputFeatures(
        NDArray items,
        NDArray actions,
        NDArray timestamps,
        NDArray hourOfWeek,
        NDArray denseFeatures,
        NDArray userFeatureRows,
        NDArray userFeatureWeights) {}
