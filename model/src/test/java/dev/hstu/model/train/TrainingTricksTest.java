package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.RankLoss;
import dev.hstu.model.data.PackedBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training tricks inside the trainer: each runs, the cache persists, and a resumed run continues exactly. */
class TrainingTricksTest {

    @TempDir
    Path dir;

    private static HstuConfig allTricks() {
        return TestBatches.tiny()
                .with("stu.dropout", 0.1f)
                .with("optimizer.warmupSteps", 2)
                .with("optimizer.totalSteps", 20)
                .with("task.clickTemperature", 0.04f)
                .with("task.exposureTemperature", 0.1f)
                .with("task.exposureTargetWeight", 0.5f)
                .with("task.rankPackage.counts", List.of(1, 1, 1, 1, 2))
                .with("task.hardNegatives.cacheSize", 12)
                .with("task.hardNegatives.perStep", 4)
                .with("features.idDropout.start", 0.3f)
                .with("features.idDropout.annealSteps", 4)
                .with("task.rankLoss", RankLoss.PAIRWISE)
                .with("task.rankLossWeight", 0.5f)
                .validate();
    }

    @Test
    void eachTrickAloneTrainsWithFiniteLosses() {
        HstuConfig base = TestBatches.tiny();
        List<HstuConfig> tricks = List.of(
                base.with("task.exposureTargetWeight", 0f)
                        .with("task.clickTemperature", 0.1f)
                        .validate(),
                base.with("task.rankPackage.counts", List.of(2, 2, 2, 2, 2)).validate(),
                base.with("task.hardNegatives.cacheSize", 32)
                        .with("task.hardNegatives.perStep", 8)
                        .validate(),
                base.with("features.idDropout.start", 0.3f)
                        .with("features.idDropout.annealSteps", 3)
                        .validate(),
                base.with("task.rankLoss", RankLoss.PAIRWISE).validate(),
                base.with("task.rankPackage.counts", List.of(2, 2, 2, 2, 2))
                        .with("task.rankLoss", RankLoss.LISTWISE)
                        .validate(),
                base.with("runtime.mixedPrecision", false)
                        .with("task.rankPackage.counts", List.of(1, 0, 1, 0, 1))
                        .with("task.logQCorrection", true)
                        .with("task.hardNegatives.cacheSize", 16)
                        .with("task.hardNegatives.perStep", 4)
                        .validate());
        for (HstuConfig config : tricks) {
            SplittableRandom random = new SplittableRandom(5);
            try (HstuModel model = HstuModel.create(config);
                    HstuTrainer trainer = new HstuTrainer(model)) {
                for (int i = 0; i < 4; i++) {
                    StepResult result = trainer.step(HstuTrainerTest.ringBatch(random, 8, 10));
                    assertThat(result.skipped())
                            .as("%s step %d", config.toJson(), i)
                            .isFalse();
                    assertThat(result.loss()).isFinite().isPositive();
                }
            }
        }
    }

    @Test
    void theHardNegativeCacheFillsStaysBoundedAndSurvivesSaveAndResumeWithTheRunContinuingExactly() throws IOException {
        HstuConfig config = allTricks();
        SplittableRandom random = new SplittableRandom(4);
        List<PackedBatch> batches = new ArrayList<>();
        int beforeSave = 12;
        for (int i = 0; i < beforeSave + 2; i++) {
            batches.add(HstuTrainerTest.ringBatch(random, 8, 12));
        }
        float[] original = new float[2];
        long[] cachedAtSave;
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            assertThat(trainer.cachedHardNegatives()).isEmpty();
            trainer.step(batches.get(0));
            assertThat(trainer.cachedHardNegatives())
                    .as("one step's hardest")
                    .hasSize(config.task().hardNegatives().perStep());
            for (int i = 1; i < beforeSave; i++) {
                trainer.step(batches.get(i));
                assertThat(trainer.cachedHardNegatives().length)
                        .isLessThanOrEqualTo(config.task().hardNegatives().cacheSize());
            }
            // items found hard again are not cached twice, so filling takes more than 12 / 4 steps
            assertThat(trainer.cachedHardNegatives())
                    .as("full")
                    .hasSize(config.task().hardNegatives().cacheSize())
                    .doesNotHaveDuplicates();
            trainer.save(dir);
            cachedAtSave = trainer.cachedHardNegatives();
            original[0] = trainer.step(batches.get(beforeSave)).loss();
            original[1] = trainer.step(batches.get(beforeSave + 1)).loss();
            assertThat(trainer.cachedHardNegatives()).as("the cache moves on").isNotEqualTo(cachedAtSave);
        }
        assertThat(Files.readString(dir.resolve(ModelFiles.TRAINER_STATE))).contains("\"hardNegatives\"");
        try (HstuTrainer resumed = HstuTrainer.resume(dir)) {
            assertThat(resumed.cachedHardNegatives()).containsExactly(cachedAtSave);
            assertThat(resumed.stepCount()).isEqualTo(beforeSave);
            // equal losses need equal candidates: the cached items mixed in and the rank package's popularity
            assertThat(resumed.step(batches.get(beforeSave)).loss()).isEqualTo(original[0]);
            assertThat(resumed.step(batches.get(beforeSave + 1)).loss()).isEqualTo(original[1]);
        }
    }

    @Test
    void withoutTheTricksACheckpointHoldsWhatItHeldBefore() throws IOException {
        try (HstuModel model = HstuModel.create(TestBatches.tiny());
                HstuTrainer trainer = new HstuTrainer(model)) {
            trainer.step(HstuTrainerTest.ringBatch(new SplittableRandom(1), 4, 6));
            trainer.save(dir);
        }
        assertThat(Files.readString(dir.resolve(ModelFiles.TRAINER_STATE)))
                .isEqualTo(
                        "{\"formatVersion\":1,\"stepCount\":1,\"skippedSteps\":0,\"recentTargets\":null,\"lossScale\":null,"
                                + "\"lossScaleGoodSteps\":0}");
    }

    @Test
    void exposureTargetsWeighingZeroTrainNothing() {
        HstuConfig config =
                TestBatches.tiny().with("task.exposureTargetWeight", 0f).validate();
        // every event an exposure (action 2: bit 0 clear)
        PackedBatch exposures = PackedBatch.builder()
                .addSequence(new int[] {2, 3, 4, 5}, new int[] {2, 2, 2, 2}, new long[] {1, 2, 3, 4}, 0, 4, 0)
                .addSequence(new int[] {6, 7, 8}, new int[] {0, 2, 0}, new long[] {1, 2, 3}, 0, 3, 0)
                .build();
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            List<float[]> before = parameters(model);
            StepResult result = trainer.step(exposures);
            assertThat(result.loss()).isZero();
            assertThat(result.gradNorm()).isZero();
            List<float[]> after = parameters(model);
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).containsExactly(before.get(i));
            }
        }
    }

    private static List<float[]> parameters(HstuModel model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.encoder().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }
}
