package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;

/**
 * Drops whole item-ID embedding rows: an event whose row is dropped enters the model through its
 * other fields only (position, action, time, dense, multimodal, user), so early training cannot
 * lean on memorising IDs alone. Kept rows are scaled by {@code 1/(1-rate)}, as dropout does, so
 * the input's expected value matches evaluation, where nothing is dropped.
 */
public final class ItemIdDropout {

    private ItemIdDropout() {}

    /**
     * @param itemEmbeddings {@code [B, L, d]} item rows
     * @param rate share of rows to zero, in {@code [0, 1)}
     * @return {@code [B, L, d]}: each row zeroed with probability {@code rate}, else scaled by {@code 1/(1-rate)}
     */
    public static NDArray apply(NDArray itemEmbeddings, float rate) {
        if (rate <= 0f) {
            return itemEmbeddings;
        }
        Shape shape = itemEmbeddings.getShape();
        // dropout of a [B, L, 1] block of ones is the per-row mask with its scale: two ops, whatever d is
        NDArray ones = itemEmbeddings
                .getManager()
                .ones(new Shape(shape.get(0), shape.get(1), 1), itemEmbeddings.getDataType());
        NDArray mask = Dropout.dropout(ones, rate, true).singletonOrThrow();
        return itemEmbeddings.mul(mask);
    }
}
