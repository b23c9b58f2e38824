package dev.hstu.model.tasks;

import ai.djl.ndarray.NDArray;
import dev.hstu.model.HstuModel;

/** A task that scores by one vector per item row, the vectors {@code hstu export} writes and predict searches. */
public interface ItemVectors {

    /**
     * Call inside an {@code NDScope}.
     *
     * @param model the model the task belongs to
     * @param itemRows rows {@code 2..itemRows-1}
     * @param like an array on the device and in the float type to return them in
     * @return {@code [itemRows-2, width]} the vectors queries are scored against, row {@code j} of item row {@code j+2}
     */
    NDArray itemVectors(HstuModel model, int itemRows, NDArray like);

    /**
     * @param model the model the task belongs to
     * @param lastOutputs {@code [B, d]} the encoder's outputs at each sequence's last event
     * @return {@code [B, width]} the queries the item vectors are scored against; the outputs themselves by default
     */
    default NDArray queries(HstuModel model, NDArray lastOutputs) {
        return lastOutputs;
    }
}
