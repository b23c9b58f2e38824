package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;

/** Row lookup in an embedding table parameter, on the device of the indices. */
final class TableLookup {

    private TableLookup() {}

    static NDArray lookup(ParameterStore ps, Parameter table, NDArray indices) {
        return Embedding.embedding(indices, ps.getValue(table, indices.getDevice(), false), SparseFormat.DENSE)
                .singletonOrThrow();
    }
}
