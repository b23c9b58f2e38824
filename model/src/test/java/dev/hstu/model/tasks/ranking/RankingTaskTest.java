package dev.hstu.model.tasks.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.tasks.Tasks;
import dev.hstu.model.tasks.retrieval.RetrievalTask;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ranking task on a real model: M-FALCON scoring, training, saving. */
class RankingTaskTest {

    static HstuConfig ranking(EncoderType encoder) {
        return TestBatches.tiny()
                .with("encoder.type", encoder)
                .with("ranking", RankingConfig.defaults())
                .with("ranking.hiddenUnits", List.of(16))
                .validate();
    }

    /** Two users of 12 and 9 events, actions in {0, 1, 3} (exposure, click, click and like). */
    static UserSequences users() {
        SplittableRandom random = new SplittableRandom(5);
        List<int[]> items = new ArrayList<>();
        List<int[]> actions = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        for (int len : new int[] {12, 9}) {
            int[] it = new int[len];
            int[] ac = new int[len];
            long[] ts = new long[len];
            long t = 1_600_000_000L;
            for (int i = 0; i < len; i++) {
                it[i] = 2 + random.nextInt(40);
                ac[i] = new int[] {0, 1, 3}[random.nextInt(3)];
                t += random.nextInt(50_000);
                ts[i] = t;
            }
            items.add(it);
            actions.add(ac);
            times.add(ts);
        }
        return new UserSequences(new long[] {11, 22}, items, actions, times, new ItemVocabulary(50));
    }

    @Test
    void theConfigPicksTheTask() {
        try (HstuModel retrieval = HstuModel.create(TestBatches.tiny());
                HstuModel ranking = HstuModel.create(ranking(EncoderType.HSTU))) {
            assertThat(retrieval.task()).isInstanceOf(RetrievalTask.class);
            assertThat(ranking.task()).isInstanceOf(RankingTask.class);
            assertThat(Tasks.create(ranking.config())).isInstanceOf(RankingTask.class);
            // the tower's parameters (hidden weight, bias, gamma, beta; output weight, bias) follow the encoder's
            assertThat(ranking.parameters().size())
                    .isEqualTo(retrieval.parameters().size() + 6);
            assertThatThrownBy(() -> ranking.recommend(
                            TestBatches.single(new int[] {5}, new int[] {0}, new long[] {1}), 3, false))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("scores given candidates");
        }
    }

    @Test
    void aRetrievalConfigIsWrittenAsBeforeAndARankingOneReadsBack() {
        // absent = retrieval: configs and saved models without the section read and write as they did
        assertThat(TestBatches.tiny().toJson()).doesNotContain("ranking");
        HstuConfig ranking = ranking(EncoderType.HSTU);
        assertThat(HstuConfig.fromJson(ranking.toJson())).isEqualTo(ranking);
        assertThat(HstuConfig.fromJson(ranking.toJson()).ranking().tasks())
                .extracting(t -> t.name() + "/" + t.bitmask())
                .containsExactly("click/1", "like/2");
        assertThatThrownBy(() -> ranking.with("ranking.tasks", List.of(Map.of("name", "click", "bitmask", 16)))
                        .validate())
                .hasMessageContaining("model.ranking.tasks[0].bitmask must be below features.actions.numActions=4");
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void onePassScoresEqualSingleCandidatePasses(EncoderType encoder) {
        UserSequences users = users();
        try (HstuModel model = HstuModel.create(ranking(encoder))) {
            RankingTask task = (RankingTask) model.task();
            List<RankingSamples.Window> windows =
                    List.of(new RankingSamples.Window(0, 0, 6, 6), new RankingSamples.Window(1, 1, 5, 4));
            float[] together = task.predict(model, RankingSamples.batch(users, windows));
            int tasks = 2;
            assertThat(together).hasSize(10 * tasks);
            int c = 0;
            for (RankingSamples.Window w : windows) {
                for (int k = 0; k < w.count(); k++, c++) {
                    // the same history, only candidate k
                    PackedBatch single = singleCandidate(users, w, k);
                    float[] alone = task.predict(model, single);
                    for (int t = 0; t < tasks; t++) {
                        assertThat(together[c * tasks + t])
                                .as("candidate %d task %d", c, t)
                                .isCloseTo(alone[t], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void trainingLowersTheLossOfEachTask() {
        UserSequences users = users();
        RankingSamples.Split split = RankingSamples.split(users, 2, 20);
        PackedBatch batch = RankingSamples.batch(users, split.train());
        try (HstuModel model = HstuModel.create(ranking(EncoderType.HSTU).with("optimizer.learningRate", 0.01f));
                HstuTrainer trainer = new HstuTrainer(model)) {
            StepResult first = trainer.step(batch);
            StepResult last = first;
            for (int i = 0; i < 40; i++) {
                last = trainer.step(batch);
            }
            assertThat(first.numTargets())
                    .isEqualTo(split.train().stream()
                            .mapToInt(RankingSamples.Window::count)
                            .sum());
            assertThat(first.metrics()).containsOnlyKeys("loss.click", "loss.like");
            assertThat(last.loss()).isLessThan(first.loss() * 0.7f);
            assertThat(last.metrics().get("loss.click"))
                    .isLessThan(first.metrics().get("loss.click"));
            assertThat(last.metrics().get("loss.like"))
                    .isLessThan(first.metrics().get("loss.like"));
            // the loss is the weighted sum of the tasks' losses (weights 1)
            assertThat(last.loss())
                    .isCloseTo(last.metrics().get("loss.click") + last.metrics().get("loss.like"), within(1e-5f));
        }
    }

    @Test
    void aSavedRankingModelLoadsWithItsTower(@TempDir Path dir) throws Exception {
        UserSequences users = users();
        PackedBatch batch = RankingSamples.batch(users, List.of(new RankingSamples.Window(0, 0, 8, 4)));
        try (HstuModel model = HstuModel.create(ranking(EncoderType.HSTU));
                HstuTrainer trainer = new HstuTrainer(model)) {
            trainer.step(batch);
            float[] before = ((RankingTask) model.task()).predict(model, batch);
            model.save(dir);
            try (HstuModel loaded = HstuModel.load(dir)) {
                assertThat(loaded.config().ranking()).isEqualTo(model.config().ranking());
                assertThat(((RankingTask) loaded.task()).predict(loaded, batch)).containsExactly(before);
            }
        }
    }

    private static PackedBatch singleCandidate(UserSequences users, RankingSamples.Window w, int k) {
        // a user copy whose events are the history then candidate k only
        int h = w.from() - w.historyStart();
        int[] items = new int[h + 1];
        int[] actions = new int[h + 1];
        long[] times = new long[h + 1];
        for (int i = 0; i < h; i++) {
            items[i] = users.items().get(w.user())[w.historyStart() + i];
            actions[i] = users.actions().get(w.user())[w.historyStart() + i];
            times[i] = users.timestamps().get(w.user())[w.historyStart() + i];
        }
        items[h] = users.items().get(w.user())[w.from() + k];
        actions[h] = users.actions().get(w.user())[w.from() + k];
        times[h] = users.timestamps().get(w.user())[w.from() + k];
        UserSequences one = new UserSequences(
                new long[] {users.userIds()[w.user()]},
                List.of(items),
                List.of(actions),
                List.of(times),
                users.vocabulary());
        return RankingSamples.batch(one, List.of(new RankingSamples.Window(0, 0, h, 1)));
    }
}
