package dev.hstu.model.tasks.ranking;

import ai.djl.ndarray.NDArray;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.tasks.Task;
import java.util.Map;
import java.util.SplittableRandom;

/** Ranking's training: the candidates' labels read from the batch, then {@link RankingLoss}; no sampling state. */
final class RankingTraining implements Task.Training {

    private final RankingConfig config;
    private final RankingLoss loss;

    RankingTraining(RankingConfig config) {
        this.config = config;
        this.loss = new RankingLoss(config);
    }

    @Override
    public Task.Step prepare(PackedBatch batch) {
        CandidateRows positions = CandidateRows.of(batch, batch.maxLength());
        float[] labels = RankingLabels.of(config, batch, positions);
        return new Task.Step() {
            @Override
            public int targets() {
                return positions.size();
            }

            @Override
            public Task.Loss loss(HstuModel model, NDArray encoded, SplittableRandom random) {
                RankingTask task = (RankingTask) model.task();
                NDArray logits = task.logits(model, encoded, positions, batch);
                RankingLoss.Result result = loss.compute(logits, labels);
                return new Task.Loss() {
                    @Override
                    public NDArray value() {
                        return result.value();
                    }

                    @Override
                    public Map<String, NDArray> metrics() {
                        return loss.metrics(result.perTask());
                    }
                };
            }
        };
    }
}
