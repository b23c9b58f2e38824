package dev.hstu.model.modules.features;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.function.Function;

/**
 * Registers a feature module's parameters and blocks on the {@link InputPreprocessor}, which owns
 * them, so that saved models keep their parameter names and order.
 */
public interface FeatureRegistrar {

    /**
     * @param name the table's parameter name
     * @param rows table rows
     * @return a {@code [rows, d]} embedding table, truncated-normal initialised
     */
    Parameter table(String name, int rows);

    /**
     * @param name the block's name
     * @param block the block
     * @param inputShapes the input shapes it is initialised with, from the hidden {@code [B, L,
     *     d]} shape (saved with its parameters, so they must not change for a saved model)
     * @param <B> its type
     * @return the block
     */
    <B extends Block> B child(String name, B block, Function<Shape, Shape[]> inputShapes);
}
