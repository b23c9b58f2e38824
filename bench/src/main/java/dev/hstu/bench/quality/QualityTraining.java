package dev.hstu.bench.quality;

import dev.hstu.model.HstuModel;
import dev.hstu.model.cli.ConsoleProgress;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.eval.LeaveOneOutSplit;
import dev.hstu.model.train.EpochTrainer;
import dev.hstu.model.train.HstuTrainer;
import java.io.IOException;

/**
 * The training schedule the quality benchmarks share, so that the quality and ablation tables train the same way:
 * epochs over leave-one-out training parts, validation each epoch, test metrics at the best validation epoch.
 *
 * @param epochs       maximum epochs
 * @param batchSize    sequences per step
 * @param patience     early stop after this many epochs without validation gain; 0 = never
 * @param windowStride 0: each user's most recent events; N: the whole history in windows N events apart
 */
record QualityTraining(int epochs, int batchSize, int patience, int windowStride) {

    /** The configuration sized to the data: item rows, total steps for the decay, warm-up at most half of them. */
    HstuConfig sized(HstuConfig requested, ItemVocabulary vocabulary, LeaveOneOutSplit split) {
        requested.validate();
        long totalSteps = (long) stepsPerEpoch(split, requested) * epochs;
        return requested
                .with("items.capacity", vocabulary.size())
                .with("optimizer.totalSteps", totalSteps + 1)
                .with("optimizer.warmupSteps", (int)
                        Math.min(requested.optimizer().warmupSteps(), totalSteps / 2))
                .validate();
    }

    int stepsPerEpoch(LeaveOneOutSplit split, HstuConfig config) {
        return EpochTrainer.stepsPerEpoch(split, batchSize, config.encoder().maxSeqLen(), windowStride);
    }

    /** Trains a fresh model of {@code config} and evaluates it every epoch. */
    EpochTrainer.Outcome train(HstuConfig config, LeaveOneOutSplit split) throws IOException {
        EpochTrainer.Options options = new EpochTrainer.Options(
                epochs, batchSize, patience, 128, true, config.runtime().seed(), windowStride);
        try (HstuModel m = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(m)) {
            return new EpochTrainer(options).run(trainer, split, null, new ConsoleProgress(System.out, epochs, 200));
        }
    }
}
