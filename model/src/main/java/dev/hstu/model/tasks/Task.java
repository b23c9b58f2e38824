package dev.hstu.model.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.hstu.model.HstuModel;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.tasks.retrieval.RetrievalTask;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a model is trained for and how it scores, on top of its encoder (the split of generative-recommenders: the
 * encoder turns a batch into one embedding per event, {@code [B, L, d]}; a task turns those outputs and the batch
 * into a training loss, and into the scores that serving and offline evaluation rank by). {@link RetrievalTask}
 * is next-item retrieval: sampled softmax against the encoder's own item table. {@link Tasks#create} picks a
 * config's task; the two others plug in as follows:
 *
 * <ul>
 *   <li>two-tower Match ({@code tasks/match}): its item tower is the task's {@link #block()}; its {@link Training} reuses retrieval's
 *       negatives ({@code NegativeSources}) and sampled softmax on tower outputs instead of table rows, and keeps
 *       their {@link SamplingState}; its {@link #scores} are the queries against the tower's item vectors, so the
 *       same full-ranking metrics apply offline.
 *   <li>DLRM-HSTU ranking ({@code ranking/RankingTask}, built): the batch carries target-aware candidates after
 *       each history (its {@code numTargets} column), labelled by their action bitmasks; {@link Training#prepare}
 *       finds the candidates' positions, the {@link Loss} is the per-task BCE (or MSE) of the fusion tower (the
 *       task's {@link #block()}) with each task's loss as a {@link Loss#metrics() metric}. It scores given
 *       candidates rather than every item row, so {@link #scores} refuses and {@code RankingTask.predict} gives the
 *       candidates' per-task probabilities, evaluated offline per task (AUC, GAUC, NE). It keeps no sampling state.
 * </ul>
 *
 * <p>A task holds no per-trainer state: each trainer asks for its own {@link #newTraining()}.
 */
public interface Task {

    /**
     * The task's own parameters (an item tower, prediction heads): initialised on inputs of shape {@code [1, d]}
     * (encoder outputs or item embeddings), trained and saved with the encoder's and after them, so a task without
     * any leaves the parameter file and the optimiser state those of the encoder alone.
     *
     * @return the block, or null when the task has no parameters of its own
     */
    default Block block() {
        return null;
    }

    /**
     * Scores for serving and offline evaluation; call inside an {@code NDScope}.
     *
     * @param model the model this task belongs to
     * @param encoded {@code [B, L, d]} encoder outputs of {@code seqs}, from an inference pass
     * @param seqs the sequences that were encoded
     * @param itemRows score item rows {@code 2..itemRows-1}
     * @return {@code [seqs.size(), itemRows-2]}, higher is better; column {@code j} is item row {@code j+2}
     */
    NDArray scores(HstuModel model, NDArray encoded, PackedBatch seqs, int itemRows);

    /** @return fresh training-time state (samplers, caches) for one trainer */
    Training newTraining();

    /** The training side of a task for one trainer: reads each batch's targets and keeps what outlives a step. */
    interface Training {

        /**
         * Reads a training batch's targets before anything is changed for it.
         *
         * @param batch the step's batch
         * @return the step, to be given the encoder outputs
         * @throws IllegalArgumentException if the batch has no trainable target, with the reason
         */
        Step prepare(PackedBatch batch);

        /** @return what a checkpoint saves of this training (nothing by default) */
        default SamplingState state() {
            return SamplingState.NONE;
        }

        /** @param state what a checkpoint saved, as {@link #state()} returned it */
        default void restore(SamplingState state) {}
    }

    /** One training step's targets, ready for the encoder outputs. */
    interface Step {

        /** @return targets of the step: the loss is their mean, and accumulation weighs micro-batches by them */
        int targets();

        /**
         * The step's loss; called inside the trainer's gradient collection and {@code NDScope}.
         *
         * @param model the model being trained
         * @param encoded {@code [B, L, d]} encoder outputs of the padded batch, from a training pass
         * @param random the step's generator (seeded per step, so a resumed run draws as an uninterrupted one)
         * @return the loss and its metrics
         */
        Loss loss(HstuModel model, NDArray encoded, SplittableRandom random);
    }

    /** A step's loss. */
    interface Loss {

        /** @return the scalar loss, the mean over the step's targets */
        NDArray value();

        /** @return scalar training-time metrics by name, read after the step; none by default */
        default Map<String, NDArray> metrics() {
            return Map.of();
        }

        /** Called when the loss was finite, inside the step's scope: what the task keeps from the step. */
        default void finite() {}
    }
}
