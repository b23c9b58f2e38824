package dev.hstu.model.tasks.retrieval;

import ai.djl.ndarray.NDArray;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.tasks.ItemVectors;
import dev.hstu.model.tasks.Task;

/**
 * Next-item retrieval: every position of a sequence is trained to predict the item after it by softmax against the
 * encoder's item table (the input table reused as the output table: one table, shared), over sampled negatives or
 * every item ({@code task.negativeSampling}), and items are scored by cosine
 * similarity between the query (the unit-norm output at a sequence's last event) and the unit-norm item rows. It
 * has no parameters of its own.
 */
public final class RetrievalTask implements Task, ItemVectors {

    private final HstuConfig config;

    /** @param config the model's config: its loss, negatives and training-trick settings */
    public RetrievalTask(HstuConfig config) {
        this.config = config;
    }

    @Override
    public NDArray scores(HstuModel model, NDArray encoded, PackedBatch seqs, int itemRows) {
        NDArray queries = model.lastOutputs(encoded, seqs);
        return queries.matMul(itemVectors(model, itemRows, queries).transpose());
    }

    /** @return {@code [itemRows-2, d]} the unit-norm rows of the item table */
    @Override
    public NDArray itemVectors(HstuModel model, int itemRows, NDArray like) {
        return model.encoder()
                .itemEmbedding()
                .normalizedRows(model.parameterStore(), ItemVocabulary.FIRST_ITEM, itemRows, like);
    }

    @Override
    public Training newTraining() {
        return new RetrievalTraining(config.task(), config.items().capacity());
    }
}
