package dev.hstu.model.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.train.EpochTrainer;
import dev.hstu.model.train.HstuTrainer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HSTU learns something real: trained briefly on a slice of the bundled MovieLens ml-latest-small,
 * it beats the most-popular baseline on leave-one-out full ranking, with the same evaluator the
 * benchmark uses.
 *
 * <p>Slice: each of the 610 users' 60 most recent ratings (29,856 events, 5,391 items); per user the
 * last rating is the test target, the one before the validation target, the rest is trained. Every
 * target is ranked against all 5,391 items, history excluded. Keeping all users but few events per
 * user makes the test fast while keeping 610 evaluated targets: with far fewer users one hit is
 * worth so much HR@10 that the comparison becomes a coin flip.
 *
 * <p>Training: the default HSTU (d=64, 2 layers, 2 heads, relative position and time bias) with
 * maxSeqLen 50, dropout 0.5 (input 0.2), logQ correction, lr 0.005 with warm-up and cosine
 * decay, batch 16, 20 epochs over each user's most recent 50 training events; the epoch with the
 * best validation NDCG@10 is reported, as in the benchmark. PyTorch runs on one intra-op thread
 * while this test trains, because the thread count changes float summation order and so the
 * exact numbers; with it fixed the run is deterministic. About 25 s on an idle 2-core machine
 * (35-50 s while other builds share it), a third of it the per-epoch evaluation.
 *
 * <p>Margins measured with this exact setup (seed 42 is the one asserted; any other with {@code
 * mvn -o -B test -pl model -Dtest=MovieLensSliceQualityTest -Dhstu.sliceTest.seed=N}): most-popular
 * test HR@10 = 0.0377 (23 of 610 hits), validation HR@10 = 0.0262. HSTU test HR@10 (epoch selected
 * on validation) for seeds 42, 1, 2, 3, 4, 5, 6: 0.0787, 0.0852, 0.0689, 0.0574, 0.0689, 0.0672,
 * 0.0738 (35 to 52 hits; mean 0.0714, 1.89x most-popular; smallest 1.52x), measured on 2026-11-23
 * after the gradient norm began to be taken per parameter. Before that change, which alters only the
 * order of float operations, the same seeds gave 0.0623 to 0.0770: one seed's figure moves by
 * several hits with such changes. Mean training loss fell from about 11.3 to 4.3 in every run. The
 * asserted 1.4x (at least 33 hits against 23) leaves room for harmless numeric changes while still
 * needing a clear win, not a coin flip.
 */
class MovieLensSliceQualityTest {

    private static final int RECENT_EVENTS = 60;
    private static final int MAX_SEQ_LEN = 50;
    private static final int EPOCHS = 20;
    private static final int BATCH_SIZE = 16;
    /** 42; {@code -Dhstu.sliceTest.seed=N} on the Maven command line re-measures the margin for another seed. */
    private static final long SEED = Long.getLong("hstu.sliceTest.seed", 42L);
    /** HSTU's HR@10 must be at least this multiple of most-popular's. */
    private static final double MIN_HR_RATIO = 1.4;

    @Test
    void hstuTrainedOnRecentMovieLensRatingsBeatsMostPopularByAClearMargin() throws IOException {
        UserSequences slice = MovieLensSlice.recentRatings(RECENT_EVENTS);
        assertThat(slice.size()).as("users").isEqualTo(610);
        assertThat(slice.totalEvents()).as("events").isEqualTo(29_856);
        LeaveOneOutSplit split = new LeaveOneOutSplit(slice);
        int itemRows = slice.vocabulary().size();
        HstuConfig config = config(itemRows, EpochTrainer.stepsPerEpoch(split, BATCH_SIZE, MAX_SEQ_LEN, 0));
        EpochTrainer.Options options = new EpochTrainer.Options(EPOCHS, BATCH_SIZE, 0, 256, true, SEED);

        Engine.getEngine("PyTorch"); // loads the native library the thread setting lives in
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            FullRankingEvaluator evaluator =
                    new FullRankingEvaluator(config.encoder().maxSeqLen(), true, 256);
            MostPopular popular = MostPopular.fit(split, itemRows, model.manager());
            MetricsReport popularTest = evaluator.evaluate(split.test(), popular, itemRows, model.manager());
            MetricsReport popularValidation =
                    evaluator.evaluate(split.validation(), popular, itemRows, model.manager());

            EpochTrainer.Outcome outcome = new EpochTrainer(options).run(trainer, split, null, null);

            List<EpochTrainer.EpochResult> epochs = outcome.epochs();
            double firstLoss = epochs.get(0).meanLoss();
            double lastLoss = epochs.get(epochs.size() - 1).meanLoss();
            assertThat(lastLoss)
                    .as("mean training loss, epoch 1 -> %d", epochs.size())
                    .isLessThan(0.6 * firstLoss);

            MetricsReport hstu = outcome.best().test();
            String report = String.format(
                    "HSTU (best epoch %d) test %s; most-popular test %s",
                    outcome.best().epoch(), hstu.summary(), popularTest.summary());
            System.out.println(
                    report + "; validation HR@10 " + outcome.best().validation().hr10() + " vs most-popular "
                            + popularValidation.hr10() + "; loss " + firstLoss + " -> " + lastLoss + "; train s "
                            + outcome.trainSeconds()
                            + " of " + outcome.wallSeconds());
            assertThat(hstu.users()).isEqualTo(popularTest.users()).isEqualTo(slice.size());
            assertThat(hstu.hr10()).as(report).isGreaterThanOrEqualTo(MIN_HR_RATIO * popularTest.hr10());
            assertThat(outcome.best().validation().hr10())
                    .as("validation HR@10, most-popular %s", popularValidation.summary())
                    .isGreaterThanOrEqualTo(MIN_HR_RATIO * popularValidation.hr10());
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    private static HstuConfig config(int itemRows, int stepsPerEpoch) {
        long totalSteps = (long) stepsPerEpoch * EPOCHS;
        return HstuConfig.defaults()
                .with("items.capacity", itemRows)
                .with("encoder.embeddingDim", 64)
                .with("stu.numLayers", 2)
                .with("encoder.maxSeqLen", MAX_SEQ_LEN)
                .with("stu.dropout", 0.5f)
                .with("features.inputDropout", 0.2f)
                .with("optimizer.learningRate", 0.005f)
                .with("optimizer.warmupSteps", 100)
                .with("optimizer.totalSteps", totalSteps + 1)
                .with("task.numNegatives", 128)
                .with("task.inBatchNegatives", 128)
                .with("task.logQCorrection", true)
                .with("runtime.seed", SEED)
                .validate();
    }
}
