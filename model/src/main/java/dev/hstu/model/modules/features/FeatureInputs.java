package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors the {@link InputPreprocessor}'s feature modules read, by name: the padded batch
 * columns ({@code PaddedSequences}), the inputs derived from them ({@code hourOfWeek}, {@code
 * userFeatureRows}, ...) and the item-ID rows ({@link #ITEM_EMBEDDINGS}).
 */
public final class FeatureInputs {

    /** {@code [B, L, d]} raw item-ID rows, after any item-ID dropout. */
    public static final String ITEM_EMBEDDINGS = "itemEmbeddings";

    private final Map<String, NDArray> inputs;

    /** @param inputs tensors by name; copied */
    public FeatureInputs(Map<String, NDArray> inputs) {
        this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /**
     * @param name a tensor's name
     * @param array the tensor
     * @return these inputs and that one (replacing one of the same name)
     */
    public FeatureInputs with(String name, NDArray array) {
        Map<String, NDArray> next = new LinkedHashMap<>(inputs);
        next.put(name, array);
        return new FeatureInputs(next);
    }

    /**
     * @param name a tensor's name
     * @return the tensor, or null when absent
     */
    public NDArray get(String name) {
        return inputs.get(name);
    }

    /**
     * @param name a tensor's name
     * @param why what needs it and how to provide it, for the error
     * @return the tensor
     * @throws IllegalArgumentException if it is absent
     */
    public NDArray require(String name, String why) {
        NDArray array = inputs.get(name);
        if (array == null) {
            throw new IllegalArgumentException(why);
        }
        return array;
    }

    /** @return every tensor by name, in the order they were given */
    public Map<String, NDArray> asMap() {
        return inputs;
    }
}
