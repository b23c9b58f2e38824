package dev.hstu.model.tasks.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.NegativeSampling;
import dev.hstu.model.config.RankLoss;
import dev.hstu.model.config.RetrievalConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.modules.features.ItemEmbeddingTable;
import dev.hstu.model.tasks.SamplingState;
import dev.hstu.model.tasks.Task;
import java.util.SplittableRandom;

/**
 * Retrieval's training for one trainer: next-item targets at every target position, and either every item row as a
 * class ({@link FullSoftmaxLoss}, {@code negativeSampling=ALL}) or the configured negatives and {@link
 * SampledSoftmaxLoss}, or {@link TrainingLoss} when a training trick (action-aware temperatures and weights, rank
 * package, hard-negative cache, rank loss) is on; with all of them off a step is what it was before they existed.
 */
final class RetrievalTraining implements Task.Training {

    private final RetrievalConfig config;
    private final NegativeSources negatives;
    private final SampledSoftmaxLoss loss;
    /** The loss with the training tricks; null when every trick is off. */
    private final TrainingLoss trainingLoss;
    /** Every item a class; null when negatives are sampled. */
    private final FullSoftmaxLoss fullSoftmax;

    RetrievalTraining(RetrievalConfig config, int itemCapacity) {
        this.config = config;
        this.negatives = new NegativeSources(config, itemCapacity);
        this.loss = new SampledSoftmaxLoss(config.temperature());
        boolean tricks = config.actionAwareLoss()
                || config.rankPackage() != null
                || config.hardNegatives() != null
                || config.rankLoss() != RankLoss.NONE;
        this.trainingLoss = tricks ? new TrainingLoss(config) : null;
        this.fullSoftmax =
                config.negativeSampling() == NegativeSampling.ALL ? new FullSoftmaxLoss(config.temperature()) : null;
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
        if (fullSoftmax != null) {
            return fullSoftmaxLoss(model, batch, targets, encoded);
        }
        NegativeSources.Draw draw =
                negatives.draw(batch, targets, model.itemRowsInUse(), random, config.logQCorrection());
        TargetScaling scaling = config.actionAwareLoss() ? TargetScaling.of(batch, targets, config) : null;
        NDManager manager = model.manager();
        NDArray queries = model.gatherRows(encoded, targets.queryRows());
        ItemEmbeddingTable table = model.encoder().itemEmbedding();
        NDArray positiveIds = manager.create(targets.positives());
        NDArray candidateIds = manager.create(draw.candidates().ids());
        NDArray positives = table.normalizedLookup(model.parameterStore(), positiveIds);
        NDArray candidates = table.normalizedLookup(model.parameterStore(), candidateIds);
        NDArray logQ =
                config.logQCorrection() ? manager.create(draw.candidates().logExpectedCount()) : null;
        if (trainingLoss == null) {
            NDArray value = loss.compute(queries, positives, positiveIds, candidates, candidateIds, logQ);
            return () -> value;
        }
        RankPackage rankPackage = draw.rankPackage();
        NDArray packageItems = rankPackage == null
                ? null
                : table.normalizedLookup(
                        model.parameterStore(),
                        manager.create(rankPackage.ids(), new Shape(targets.size(), rankPackage.perTarget())));
        TrainingLoss.Result result = trainingLoss.compute(new TrainingLoss.Inputs(
                queries, positives, positiveIds, candidates, candidateIds, logQ, packageItems, rankPackage, scaling));
        return new Task.Loss() {
            @Override
            public NDArray value() {
                return result.loss();
            }

            @Override
            public void finite() {
                if (negatives.cachesHardNegatives()) {
                    negatives.offerHardest(draw.candidates().ids(), result.candidateHardness());
                }
            }
        };
    }

    private Task.Loss fullSoftmaxLoss(HstuModel model, PackedBatch batch, TrainingTargets targets, NDArray encoded) {
        TargetScaling scaling = config.actionAwareLoss() ? TargetScaling.of(batch, targets, config) : null;
        NDArray queries = model.gatherRows(encoded, targets.queryRows());
        NDArray items = model.encoder()
                .itemEmbedding()
                .normalizedRows(model.parameterStore(), ItemVocabulary.FIRST_ITEM, model.itemRowsInUse(), queries);
        long[] columns = targets.positives().clone();
        for (int i = 0; i < columns.length; i++) {
            columns[i] -= ItemVocabulary.FIRST_ITEM;
        }
        NDArray value = fullSoftmax.compute(queries, items, model.manager().create(columns), scaling);
        return () -> value;
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
