package dev.hstu.model.train;

import dev.hstu.model.HstuModel;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.RankingEvaluator;
import dev.hstu.model.tasks.ranking.RankingSamples;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Offline training of a ranking model over a {@link RankingSamples.Split}: several epochs over the training windows,
 * shuffled each epoch; validation metrics after every epoch; the epoch with the best mean validation AUC over the BCE
 * tasks is the result, saved to a directory, with its test metrics (measured when it was the best so far).
 */
public final class RankingEpochTrainer {

    /**
     * @param epochs maximum epochs
     * @param batchSize samples (users' windows) per step
     * @param patience stop after this many epochs without a better validation AUC; 0 never
     * @param seed seed of the per-epoch shuffles
     */
    public record Options(int epochs, int batchSize, int patience, long seed) {
        /** @throws IllegalArgumentException naming a field out of range */
        public Options {
            if (epochs < 1 || batchSize < 1 || patience < 0) {
                throw new IllegalArgumentException("epochs and batchSize must be >= 1 and patience >= 0, got " + epochs
                        + ", " + batchSize + ", " + patience);
            }
        }
    }

    /**
     * @param epoch 1-based epoch
     * @param meanLoss mean training loss of its steps
     * @param steps optimiser steps so far
     * @param candidates candidates trained this epoch
     * @param trainSeconds seconds in training steps this epoch
     * @param validation validation metrics after the epoch
     */
    public record EpochResult(
            int epoch,
            double meanLoss,
            long steps,
            long candidates,
            double trainSeconds,
            RankingEvaluator.Result validation) {}

    /**
     * @param epochs every completed epoch
     * @param best the epoch selected on validation
     * @param test test metrics of the selected epoch's model
     * @param trainSeconds seconds in training steps
     */
    public record Outcome(
            List<EpochResult> epochs, EpochResult best, RankingEvaluator.Result test, double trainSeconds) {}

    private final Options options;

    /** @param options training options */
    public RankingEpochTrainer(Options options) {
        this.options = options;
    }

    /**
     * @param split the samples
     * @param batchSize samples per step
     * @return optimiser steps per epoch (for the learning-rate schedule)
     */
    public static int stepsPerEpoch(RankingSamples.Split split, int batchSize) {
        return (split.train().size() + batchSize - 1) / batchSize;
    }

    /**
     * @param trainer the trainer of a ranking model
     * @param users the sequences the split's windows index
     * @param split the samples
     * @param bestDir where the best epoch's model is saved
     * @param progress where a line per epoch goes
     * @return the epochs, the selected one and its test metrics
     * @throws IOException if the model cannot be saved
     * @throws IllegalArgumentException if the split has no training, validation or test sample
     */
    public Outcome run(
            HstuTrainer trainer, UserSequences users, RankingSamples.Split split, Path bestDir, PrintStream progress)
            throws IOException {
        if (split.train().isEmpty()
                || split.validation().isEmpty()
                || split.test().isEmpty()) {
            throw new IllegalArgumentException("ranking split needs training, validation and test samples; got "
                    + split.train().size() + ", " + split.validation().size() + ", "
                    + split.test().size()
                    + " (users with fewer than 2 windows + 2 events give none)");
        }
        HstuModel model = trainer.model();
        Random shuffle = new Random(options.seed());
        List<RankingSamples.Window> order = new ArrayList<>(split.train());
        List<EpochResult> epochs = new ArrayList<>();
        EpochResult best = null;
        RankingEvaluator.Result test = null;
        double trainSeconds = 0;
        int sinceBest = 0;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            Collections.shuffle(order, shuffle);
            double lossSum = 0;
            int steps = 0;
            long candidates = 0;
            long started = System.nanoTime();
            for (int from = 0; from < order.size(); from += options.batchSize()) {
                List<RankingSamples.Window> chunk =
                        order.subList(from, Math.min(order.size(), from + options.batchSize()));
                StepResult step = trainer.step(RankingSamples.batch(users, chunk));
                if (!step.skipped()) {
                    lossSum += step.loss();
                    steps++;
                }
                candidates += step.numTargets();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            trainSeconds += seconds;
            RankingEvaluator.Result validation =
                    RankingEvaluator.evaluate(model, users, split.validation(), options.batchSize());
            EpochResult result = new EpochResult(
                    epoch,
                    steps == 0 ? Double.NaN : lossSum / steps,
                    trainer.stepCount(),
                    candidates,
                    seconds,
                    validation);
            epochs.add(result);
            progress.printf(
                    Locale.ROOT,
                    "epoch %d: loss %.4f, %.1f s; validation mean AUC %.4f%n%s",
                    epoch,
                    result.meanLoss(),
                    seconds,
                    validation.meanAuc(),
                    validation.summary());
            if (best == null || validation.meanAuc() > best.validation().meanAuc()) {
                best = result;
                sinceBest = 0;
                model.save(bestDir);
                test = RankingEvaluator.evaluate(model, users, split.test(), options.batchSize());
            } else if (options.patience() > 0 && ++sinceBest >= options.patience()) {
                break;
            }
        }
        return new Outcome(epochs, best, test, trainSeconds);
    }
}
