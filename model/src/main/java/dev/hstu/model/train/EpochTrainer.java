package dev.hstu.model.train;

import dev.hstu.model.HstuModel;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.eval.EvalCases;
import dev.hstu.model.eval.FullRankingEvaluator;
import dev.hstu.model.eval.LeaveOneOutSplit;
import dev.hstu.model.eval.MetricsReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Offline training over a leave-one-out split: several epochs over every user's training part
 * (its most recent {@code maxSeqLen} events, or with {@code windowStride > 0} all of it in windows,
 * see {@link TrainingWindows}; next-item targets at every position), sequences shuffled each epoch; validation and test metrics after every epoch; the epoch with the best
 * validation NDCG@10 (ties: HR@10) is the result, and its model is saved when a directory is
 * given.
 *
 * <p>Steps hold a fixed number of sequences or a budget of padded tokens, sorted by length in groups so little
 * is padded ({@link EpochBatches}); every sequence still appears exactly once per epoch.
 */
public final class EpochTrainer {

    /**
     * @param epochs maximum epochs
     * @param batchSize users per step
     * @param patience stop after this many epochs without a better validation result; 0 never
     * @param evalBatchSize users scored at once during evaluation
     * @param excludeSeen remove history items from the ranked candidates
     * @param seed seed of the per-epoch shuffles
     * @param windowStride 0: train each user's most recent {@code maxSeqLen} events only; {@code
     *     > 0}: train the whole training part in windows ending this many events apart (see
     *     {@link TrainingWindows})
     * @param batchTokens 0: {@code batchSize} sequences per step; {@code > 0}: as many sequences as fit this many
     *     padded tokens ({@link EpochBatches})
     */
    public record Options(
            int epochs,
            int batchSize,
            int patience,
            int evalBatchSize,
            boolean excludeSeen,
            long seed,
            int windowStride,
            int batchTokens) {

        /** Options with {@code batchSize} sequences per step. */
        public Options(
                int epochs,
                int batchSize,
                int patience,
                int evalBatchSize,
                boolean excludeSeen,
                long seed,
                int windowStride) {
            this(epochs, batchSize, patience, evalBatchSize, excludeSeen, seed, windowStride, 0);
        }

        /** Options that train only each user's most recent {@code maxSeqLen} events. */
        public Options(int epochs, int batchSize, int patience, int evalBatchSize, boolean excludeSeen, long seed) {
            this(epochs, batchSize, patience, evalBatchSize, excludeSeen, seed, 0, 0);
        }

        /** @throws IllegalArgumentException naming a field out of range */
        public Options {
            if (windowStride < 0) {
                throw new IllegalArgumentException(
                        "windowStride must be >= 0 (0 = most recent maxSeqLen events only), got " + windowStride);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            }
            if (batchTokens < 0) {
                throw new IllegalArgumentException(
                        "batchTokens must be >= 0 (0 = batchSize sequences per step), got " + batchTokens);
            }
            if (evalBatchSize < 1) {
                throw new IllegalArgumentException("evalBatchSize must be >= 1, got " + evalBatchSize);
            }
        }
    }

    /**
     * @param epoch 1-based epoch
     * @param meanLoss mean training loss of its steps
     * @param steps optimiser steps so far
     * @param targets next-item targets trained this epoch
     * @param trainSeconds seconds spent in training steps this epoch
     * @param validation validation metrics after the epoch
     * @param test test metrics after the epoch
     */
    public record EpochResult(
            int epoch,
            double meanLoss,
            long steps,
            long targets,
            double trainSeconds,
            MetricsReport validation,
            MetricsReport test) {}

    /**
     * @param epochs every completed epoch
     * @param best the epoch selected on validation
     * @param trainSeconds total seconds in training steps
     * @param wallSeconds total seconds including evaluation
     * @param targets total next-item targets trained
     */
    public record Outcome(
            List<EpochResult> epochs, EpochResult best, double trainSeconds, double wallSeconds, long targets) {
        /** @return trained next-item targets per second of training */
        public double targetsPerSecond() {
            return targets / Math.max(1e-9, trainSeconds);
        }
    }

    /** Receives progress while training runs. */
    public interface Progress {
        /**
         * @param epoch 1-based epoch
         * @param stepInEpoch 1-based step within the epoch
         * @param stepsPerEpoch steps of one epoch
         * @param result the step's result
         */
        void step(int epoch, int stepInEpoch, int stepsPerEpoch, StepResult result);

        /** @param result the finished epoch */
        void epoch(EpochResult result);
    }

    private final Options options;

    /** @param options training options */
    public EpochTrainer(Options options) {
        this.options = options;
    }

    /**
     * @param split the data
     * @param batchSize users per step
     * @return optimiser steps per epoch (for the learning-rate schedule's {@code totalSteps})
     */
    public static int stepsPerEpoch(LeaveOneOutSplit split, int batchSize) {
        int users = trainableUsers(split).length;
        return (users + batchSize - 1) / batchSize;
    }

    /**
     * @param split the data
     * @param batchSize sequences per step
     * @param maxSeqLen longest training sequence
     * @param windowStride as in {@link Options#windowStride()}
     * @return optimiser steps per epoch (for the learning-rate schedule's {@code totalSteps})
     */
    public static int stepsPerEpoch(LeaveOneOutSplit split, int batchSize, int maxSeqLen, int windowStride) {
        return stepsPerEpoch(split, batchSize, maxSeqLen, windowStride, 0);
    }

    /**
     * @param split the data
     * @param batchSize sequences per step when {@code batchTokens} is 0
     * @param maxSeqLen longest training sequence
     * @param windowStride as in {@link Options#windowStride()}
     * @param batchTokens as in {@link Options#batchTokens()}
     * @return optimiser steps per epoch (for the learning-rate schedule's {@code totalSteps})
     */
    public static int stepsPerEpoch(
            LeaveOneOutSplit split, int batchSize, int maxSeqLen, int windowStride, int batchTokens) {
        return EpochBatches.of(batchSize, batchTokens)
                .stepsPerEpoch(windows(split, trainableUsers(split), maxSeqLen, windowStride));
    }

    /**
     * @param split the data
     * @param maxSeqLen longest training sequence
     * @param windowStride as in {@link Options#windowStride()}
     * @return the windows one epoch trains, of every user with two or more training events
     */
    public static List<TrainingWindows.Window> trainingWindows(
            LeaveOneOutSplit split, int maxSeqLen, int windowStride) {
        return windows(split, trainableUsers(split), maxSeqLen, windowStride);
    }

    private static List<TrainingWindows.Window> windows(
            LeaveOneOutSplit split, int[] users, int maxSeqLen, int windowStride) {
        if (windowStride > 0) {
            return TrainingWindows.of(split, users, maxSeqLen, windowStride);
        }
        List<TrainingWindows.Window> recent = new ArrayList<>(users.length);
        for (int u : users) {
            int len = split.trainingLength(u);
            recent.add(new TrainingWindows.Window(u, Math.max(0, len - maxSeqLen), len, 0));
        }
        return recent;
    }

    private static int[] trainableUsers(LeaveOneOutSplit split) {
        int[] users = new int[split.sequences().size()];
        int n = 0;
        for (int u = 0; u < users.length; u++) {
            if (split.trainingLength(u) >= 2) {
                users[n++] = u;
            }
        }
        return Arrays.copyOf(users, n);
    }

    /**
     * Trains until {@code epochs} or {@code patience} runs out.
     *
     * @param trainer the trainer (its model is updated in place and ends at the last epoch)
     * @param split the data
     * @param bestModelDir where the best epoch's model is saved; null to skip saving
     * @param progress receives progress; may be null
     * @return per-epoch results and the selected epoch
     * @throws IOException if saving the best model fails
     */
    public Outcome run(HstuTrainer trainer, LeaveOneOutSplit split, Path bestModelDir, Progress progress)
            throws IOException {
        HstuModel model = trainer.model();
        model.setItemRowsInUse(split.sequences().vocabulary().size());
        int maxSeqLen = model.config().encoder().maxSeqLen();
        int[] users = trainableUsers(split);
        if (users.length == 0) {
            throw new IllegalArgumentException("no user has 2 or more training events (users="
                    + split.sequences().size() + ")");
        }
        List<TrainingWindows.Window> windows = windows(split, users, maxSeqLen, options.windowStride());
        FullRankingEvaluator evaluator =
                new FullRankingEvaluator(maxSeqLen, options.excludeSeen(), options.evalBatchSize());
        EvalCases validation = split.validation();
        EvalCases test = split.test();
        SplittableRandom random = new SplittableRandom(options.seed());
        PackedBatch.Builder builder = split.sequences().newBuilder();
        EpochBatches batching = EpochBatches.of(options.batchSize(), options.batchTokens());
        List<EpochResult> results = new ArrayList<>();
        EpochResult best = null;
        int sinceBest = 0;
        long totalTargets = 0;
        double trainSeconds = 0;
        long wallStart = System.nanoTime();
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            List<List<TrainingWindows.Window>> batches = batching.plan(windows, random);
            double lossSum = 0;
            int lossCount = 0;
            long targets = 0;
            long epochStart = System.nanoTime();
            try (BatchPrefetcher prefetcher =
                    new BatchPrefetcher(batches.size(), i -> TrainingWindows.batch(split, batches.get(i), builder))) {
                for (int i = 0; i < batches.size(); i++) {
                    StepResult r = trainer.step(prefetcher.take(i));
                    if (!r.skipped()) {
                        lossSum += r.loss();
                        lossCount++;
                    }
                    targets += r.numTargets();
                    if (progress != null) {
                        progress.step(epoch, i + 1, batches.size(), r);
                    }
                }
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            trainSeconds += seconds;
            totalTargets += targets;
            int itemRows = model.itemRowsInUse();
            MetricsReport val = evaluator.evaluate(validation, model::itemScores, itemRows, model.manager());
            MetricsReport tst = evaluator.evaluate(test, model::itemScores, itemRows, model.manager());
            EpochResult result = new EpochResult(
                    epoch, lossSum / Math.max(1, lossCount), trainer.stepCount(), targets, seconds, val, tst);
            results.add(result);
            if (progress != null) {
                progress.epoch(result);
            }
            if (best == null || val.betterThan(best.validation())) {
                best = result;
                sinceBest = 0;
                if (bestModelDir != null) {
                    model.save(bestModelDir);
                }
            } else if (options.patience() > 0 && ++sinceBest >= options.patience()) {
                break;
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        return new Outcome(List.copyOf(results), best, trainSeconds, wall, totalTargets);
    }
}
