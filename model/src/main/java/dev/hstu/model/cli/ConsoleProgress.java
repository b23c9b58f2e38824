package dev.hstu.model.cli;

import dev.hstu.model.train.EpochTrainer;
import dev.hstu.model.train.StepResult;
import java.io.PrintStream;
import java.util.Locale;

/** Prints training progress: epoch, step, loss, steps/s and ETA (for the remaining maximum epochs). */
public final class ConsoleProgress implements EpochTrainer.Progress {

    private final PrintStream out;
    private final int epochs;
    private final int logEvery;
    private final long started = System.nanoTime();
    private long steps;

    /**
     * @param out where lines go
     * @param epochs maximum epochs (for the ETA)
     * @param logEvery print every this many steps (epoch ends are always printed)
     */
    public ConsoleProgress(PrintStream out, int epochs, int logEvery) {
        this.out = out;
        this.epochs = epochs;
        this.logEvery = Math.max(1, logEvery);
    }

    @Override
    public void step(int epoch, int stepInEpoch, int stepsPerEpoch, StepResult result) {
        steps++;
        if (steps % logEvery != 0) {
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = steps / Math.max(1e-9, seconds);
        long remaining = (long) epochs * stepsPerEpoch - steps;
        out.printf(
                Locale.ROOT,
                "epoch %d/%d step %d/%d loss %.4f lr %.2e steps/s %.2f ETA %s%n",
                epoch,
                epochs,
                stepInEpoch,
                stepsPerEpoch,
                result.loss(),
                result.learningRate(),
                rate,
                duration(remaining / rate));
    }

    @Override
    public void epoch(EpochTrainer.EpochResult r) {
        out.printf(
                Locale.ROOT,
                "epoch %d done: loss %.4f, %d steps, %.1f s; validation %s; test %s%n",
                r.epoch(),
                r.meanLoss(),
                r.steps(),
                r.trainSeconds(),
                r.validation().summary(),
                r.test().summary());
    }

    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
