package dev.hstu.model.tasks.match;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.RetrievalConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.tasks.SamplingState;
import dev.hstu.model.tasks.Task;
import dev.hstu.model.tasks.retrieval.NegativeSources;
import dev.hstu.model.tasks.retrieval.SampledSoftmaxLoss;
import dev.hstu.model.tasks.retrieval.TrainingTargets;
import java.util.SplittableRandom;

/**
 * Match's training for one trainer: retrieval's next-item targets and negatives ({@link NegativeSources}, uniform or
 * popularity with logQ), the positives and negatives embedded together by the item tower (a share of them without
 * their id part, {@code match.idDropout}, so the tower also learns to embed an item from its features alone), and
 * {@link SampledSoftmaxLoss} between the user tower's queries and them.
 */
final class MatchTraining implements Task.Training {

    private final MatchTask task;
    private final RetrievalConfig config;
    private final NegativeSources negatives;
    private final SampledSoftmaxLoss loss;
    private final float idDropout;

    MatchTraining(MatchTask task, RetrievalConfig config, float idDropout, int itemCapacity) {
        this.task = task;
        this.idDropout = idDropout;
        this.config = config;
        this.negatives = new NegativeSources(config, itemCapacity);
        this.loss = new SampledSoftmaxLoss(config.temperature());
    }

    @Override
    public Task.Step prepare(PackedBatch batch) {
        TrainingTargets targets = TrainingTargets.trainable(batch);
        return new Task.Step() {
            @Override
            public int targets() {
                return targets.size();
            }

            @Override
            public Task.Loss loss(HstuModel model, NDArray encoded, SplittableRandom random) {
                return lossOf(model, batch, targets, encoded, random);
            }
        };
    }

    private Task.Loss lossOf(
            HstuModel model, PackedBatch batch, TrainingTargets targets, NDArray encoded, SplittableRandom random) {
        NegativeSources.Draw draw =
                negatives.draw(batch, targets, model.itemRowsInUse(), random, config.logQCorrection());
        NDManager manager = model.manager();
        long[] positiveRows = targets.positives();
        long[] candidateRows = draw.candidates().ids();
        // one tower pass over positives and negatives together
        long[] rows = new long[positiveRows.length + candidateRows.length];
        System.arraycopy(positiveRows, 0, rows, 0, positiveRows.length);
        System.arraycopy(candidateRows, 0, rows, positiveRows.length, candidateRows.length);
        NDArray items = task.embed(model, dropIds(task.sideTable().rows(rows), random));
        NDArray positives = items.get(0 + ":" + positiveRows.length);
        NDArray candidates = items.get(positiveRows.length + ":");
        NDArray queries = task.tower().project(model.parameterStore(), model.gatherRows(encoded, targets.queryRows()));
        NDArray logQ =
                config.logQCorrection() ? manager.create(draw.candidates().logExpectedCount()) : null;
        NDArray value = loss.compute(
                queries, positives, manager.create(positiveRows), candidates, manager.create(candidateRows), logQ);
        return () -> value;
    }

    /** Zeroes the id part of a share of the step's items, drawn from the step's generator (reproducible resumes). */
    private ItemTowerInputs dropIds(ItemTowerInputs items, SplittableRandom random) {
        if (idDropout <= 0f) {
            return items;
        }
        long[] rows = items.idRows().clone();
        for (int i = 0; i < rows.length; i++) {
            if (random.nextFloat() < idDropout) {
                rows[i] = ItemVocabulary.PADDING;
            }
        }
        return new ItemTowerInputs(rows, items.side());
    }

    @Override
    public SamplingState state() {
        return new SamplingState(negatives.recentTargets(), negatives.cachedHardNegatives());
    }

    @Override
    public void restore(SamplingState state) {
        negatives.restore(state.recentTargets(), state.hardNegatives());
    }
}
