package dev.hstu.model.cli;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures training throughput on real sequences: random windows of MovieLens users' histories,
 * packed into fixed-size batches, trained for a number of steps; prints ms/step after warm-up.
 */
@Command(
        name = "train-benchmark",
        mixinStandardHelpOptions = true,
        description = "Time HstuTrainer.step on MovieLens windows.")
public final class TrainBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--ratings", required = true, description = "MovieLens ratings.csv")
    private Path ratings;

    @Option(names = "--config", description = "HstuConfig JSON (absent fields take defaults)")
    private Path config;

    @Option(names = "--batch", defaultValue = "128", description = "sequences per step")
    private int batch;

    @Option(names = "--length", defaultValue = "50", description = "events per sequence window")
    private int length;

    @Option(names = "--steps", defaultValue = "60", description = "timed steps")
    private int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed steps first")
    private int warmup;

    @Override
    public Integer call() throws Exception {
        HstuConfig base = config != null ? HstuConfig.read(config) : HstuConfig.defaults();
        ItemVocabulary vocabulary = new ItemVocabulary(base.items().capacity());
        UserSequences users = InteractionFiles.movieLens(ratings, MovieLensActions.wholeStars())
                .build(vocabulary, vocabulary::indexOrAssign);
        HstuConfig cfg = base.with("items.capacity", users.vocabulary().size()).validate();
        System.out.printf(
                Locale.ROOT,
                "users=%d items=%d config: d=%d layers=%d heads=%d negatives=%d+%d in-batch threads=%s%n",
                users.items().size(),
                users.vocabulary().size() - 2,
                cfg.encoder().embeddingDim(),
                cfg.stu().numLayers(),
                cfg.stu().numHeads(),
                cfg.task().numNegatives(),
                cfg.task().inBatchNegatives(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"));
        SplittableRandom random = new SplittableRandom(cfg.runtime().seed());
        PackedBatch.Builder builder = PackedBatch.builder();
        try (HstuModel model = HstuModel.create(cfg);
                HstuTrainer trainer = new HstuTrainer(model)) {
            model.setItemRowsInUse(users.vocabulary().size());
            long[] millis = new long[steps];
            float firstLoss = Float.NaN;
            float lastLoss = Float.NaN;
            int targets = 0;
            for (int s = -warmup; s < steps; s++) {
                PackedBatch packed = window(users, random, builder);
                long t0 = System.nanoTime();
                StepResult r = trainer.step(packed);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (s == -warmup) {
                    firstLoss = r.loss();
                }
                lastLoss = r.loss();
                if (s >= 0) {
                    millis[s] = ms;
                    targets += r.numTargets();
                }
            }
            long[] sorted = millis.clone();
            Arrays.sort(sorted);
            double mean = Arrays.stream(millis).average().orElse(Double.NaN);
            System.out.printf(
                    Locale.ROOT,
                    "steps=%d batch=%d len<=%d targets/step=%.0f ms/step mean=%.1f median=%d p90=%d loss %.3f -> %.3f%n",
                    steps,
                    batch,
                    length,
                    (double) targets / steps,
                    mean,
                    sorted[steps / 2],
                    sorted[(int) (steps * 0.9)],
                    firstLoss,
                    lastLoss);
        }
        return 0;
    }

    private PackedBatch window(UserSequences users, SplittableRandom random, PackedBatch.Builder builder) {
        builder.reset();
        for (int i = 0; i < batch; i++) {
            int u = random.nextInt(users.items().size());
            int n = users.items().get(u).length;
            int len = Math.min(length, n);
            int from = n == len ? 0 : random.nextInt(n - len + 1);
            builder.addSequence(
                    users.items().get(u),
                    users.actions().get(u),
                    users.timestamps().get(u),
                    from,
                    len,
                    0);
        }
        return builder.build();
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainBenchmarkCommand()).execute(args));
    }
}
