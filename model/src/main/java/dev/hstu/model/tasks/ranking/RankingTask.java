package dev.hstu.model.tasks.ranking;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.config.RankingLossType;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.tasks.Task;
import dev.hstu.model.train.Autograd;

/**
 * DLRM-HSTU ranking: each sequence is a user's history followed by candidates (its {@code numTargets} column), which
 * the encoder sees target-aware; the fusion tower turns each candidate's output into one logit per task, trained by
 * per-task BCE (or MSE) and read as per-task probabilities. It scores given candidates, not the whole item table.
 */
public final class RankingTask implements Task {

    private final RankingConfig config;
    private final FusionTower tower;

    /** @param config the model's config, with a {@code ranking} section */
    public RankingTask(HstuConfig config) {
        this.config = config.ranking();
        this.tower = new FusionTower(this.config, 2 * config.encoder().embeddingDim());
    }

    @Override
    public Block block() {
        return tower;
    }

    /** Ranking scores candidates, not item rows: {@link #predictions} is its scoring. */
    @Override
    public NDArray scores(HstuModel model, NDArray encoded, PackedBatch seqs, int itemRows) {
        throw new UnsupportedOperationException("a ranking model (model.ranking) scores given candidates, not every"
                + " item row: use RankingTask.predictions on a batch with a numTargets column");
    }

    /**
     * The tower's raw outputs for the candidates; call inside an {@code NDScope}.
     *
     * @param model the model this task belongs to
     * @param encoded {@code [B, L, d]} encoder outputs of {@code batch}
     * @param candidates the batch's candidates
     * @param batch the ranking batch
     * @return {@code [candidates, tasks]} logits (raw predictions of MSE tasks)
     */
    public NDArray logits(HstuModel model, NDArray encoded, CandidateRows candidates, PackedBatch batch) {
        NDArray outputs = model.gatherRows(encoded, candidates.flatRows());
        NDArray items = model.encoder()
                .itemEmbedding()
                .normalizedLookup(model.parameterStore(), model.manager().create(candidates.items(batch)));
        float scale = (float) Math.sqrt(outputs.getShape().get(1));
        NDArray input = outputs.concat(outputs.mul(items.toType(outputs.getDataType(), false)), 1)
                .mul(scale);
        return tower.apply(model.parameterStore(), input);
    }

    /**
     * Per-task predictions of every candidate: BCE tasks' probabilities, MSE tasks' values.
     *
     * @param model the model this task belongs to
     * @param encoded {@code [B, L, d]} encoder outputs of {@code batch}, from an inference pass
     * @param batch the ranking batch
     * @return {@code candidates * tasks} floats, candidate-major, candidates in sequence then position order
     */
    public float[] predictions(HstuModel model, NDArray encoded, PackedBatch batch) {
        CandidateRows candidates =
                CandidateRows.of(batch, (int) encoded.getShape().get(1));
        NDArray logits = logits(model, encoded, candidates, batch).toType(DataType.FLOAT32, false);
        float[] values = logits.toFloatArray();
        int tasks = config.tasks().size();
        for (int t = 0; t < tasks; t++) {
            if (config.tasks().get(t).type() == RankingLossType.BCE) {
                for (int i = t; i < values.length; i += tasks) {
                    values[i] = (float) (1.0 / (1.0 + Math.exp(-values[i])));
                }
            }
        }
        return values;
    }

    /**
     * Encodes a ranking batch and predicts its candidates (M-FALCON: all candidates of a row in one pass).
     *
     * @param model the model this task belongs to
     * @param batch the ranking batch
     * @return as {@link #predictions}
     */
    public float[] predict(HstuModel model, PackedBatch batch) {
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            NDArray encoded = model.forward(PaddedSequences.of(batch, model.config(), model.manager()), false);
            return predictions(model, encoded, batch);
        }
    }

    /** @return the ranking settings: the tasks in output order */
    public RankingConfig config() {
        return config;
    }

    @Override
    public Training newTraining() {
        return new RankingTraining(config);
    }
}
