package dev.hstu.model.tasks.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.serve.TopK;
import dev.hstu.model.tasks.retrieval.RetrievalTask;
import dev.hstu.model.train.Autograd;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Match through the task seam: the item tower's shapes, cold items embedded from features, training, save and load. */
class MatchTaskTest {

    private static final int ROWS = 42;

    @TempDir
    Path dir;

    private static HstuConfig matchConfig() {
        return TestBatches.tiny()
                .with("match.hiddenUnits", List.of(32))
                .with("match.genres.count", 19)
                .with("optimizer.learningRate", 1e-2f)
                .validate();
    }

    /** Items 100..139 at rows 2..41; item {@code 100+i} has genre bit {@code i % 19}. */
    private static ItemSideTable genres(HstuConfig config, ItemVocabulary vocabulary) throws IOException {
        Map<Long, Integer> byId = new HashMap<>();
        for (int i = 0; i < ROWS - 2; i++) {
            vocabulary.indexOrAssign(100 + i);
            byId.put(100L + i, 1 << (i % 19));
        }
        return ItemSideTable.of(
                MatchTask.sideColumns(config),
                List.of(byId),
                List.of(Path.of("movies.csv")),
                vocabulary,
                config.items().capacity());
    }

    @Test
    void theTowersHaveTheConfiguredWidthsAndScoresAreTheirDotProducts() throws IOException {
        HstuConfig config = matchConfig().with("match.outputDim", 8).validate();
        PackedBatch batch = TestBatches.random(new SplittableRandom(3), new int[] {4, 7}, ROWS);
        try (HstuModel model = HstuModel.create(config)) {
            MatchTask task = (MatchTask) model.task();
            task.attach(genres(config, new ItemVocabulary(config.items().capacity())));
            model.setItemRowsInUse(ROWS);
            float[] queries = model.encodeQueries(batch);
            float[] items = model.itemEmbeddings();
            assertThat(queries).hasSize(2 * 8);
            assertThat(items).hasSize((ROWS - 2) * 8);
            Autograd.disableOnThisThread();
            try (NDScope ignored = new NDScope()) {
                NDArray encoded = model.forward(PaddedSequences.of(batch, config, model.manager()), false);
                assertThat(encoded.getShape().get(2))
                        .as("the user tower is the encoder")
                        .isEqualTo(16);
                float[] scores = task.scores(model, encoded, batch, ROWS).toFloatArray();
                assertThat(scores).hasSize(2 * (ROWS - 2));
                for (int s = 0; s < 2; s++) {
                    for (int j = 0; j < ROWS - 2; j++) {
                        float dot = 0;
                        for (int k = 0; k < 8; k++) {
                            dot += queries[s * 8 + k] * items[j * 8 + k];
                        }
                        assertThat(scores[s * (ROWS - 2) + j]).isCloseTo(dot, within(1e-5f));
                    }
                }
                NDArray some =
                        task.embed(model, new ItemTowerInputs(new long[] {2, 3, 0}, List.of(new int[] {1, 2, 4})));
                assertThat(some.getShape().getShape()).containsExactly(3, 8);
            }
            for (int j = 0; j < ROWS - 2; j++) {
                double norm = 0;
                for (int k = 0; k < 8; k++) {
                    norm += items[j * 8 + k] * items[j * 8 + k];
                }
                assertThat(Math.sqrt(norm)).as("COSINE: unit-norm item %d", j).isCloseTo(1.0, within(1e-4));
            }
        }
    }

    @Test
    void anItemWithFeaturesButNoIdRowGetsAFiniteNonZeroEmbeddingThatDependsOnItsFeatures() {
        HstuConfig config =
                matchConfig().with("match.similarity", "INNER_PRODUCT").validate();
        try (HstuModel model = HstuModel.create(config)) {
            MatchTask task = (MatchTask) model.task();
            Autograd.disableOnThisThread();
            try (NDScope ignored = new NDScope()) {
                // no id row (padding, out-of-vocabulary), genres Action|Comedy, Drama, none
                float[] v = task.embed(
                                model,
                                new ItemTowerInputs(
                                        new long[] {ItemVocabulary.PADDING, ItemVocabulary.OUT_OF_VOCABULARY, 0},
                                        List.of(new int[] {0b101, 1 << 7, 0})))
                        .toFloatArray();
                int d = 16;
                float[] first = java.util.Arrays.copyOfRange(v, 0, d);
                float[] second = java.util.Arrays.copyOfRange(v, d, 2 * d);
                for (float x : v) {
                    assertThat(x).isFinite();
                }
                assertThat(norm(first)).as("cold item with genres").isGreaterThan(1e-4);
                assertThat(norm(second)).isGreaterThan(1e-4);
                assertThat(first).as("other genres, other vector").isNotEqualTo(second);

                // a row the model does not use yet (assigned after training) has no trained id part
                ItemTowerInputs unused = new ItemTowerInputs(new long[] {7}, List.of(new int[] {0b101}));
                assertThat(task.embed(model, unused).toFloatArray()).containsExactly(first, within(1e-6f));
                model.setItemRowsInUse(8);
                assertThat(task.embed(model, unused).toFloatArray())
                        .as("in use: its id row counts")
                        .isNotEqualTo(first);
            }
        }
    }

    @Test
    void trainingMovesTheTowerAndTheIdRowsAndRanksTheNextItemOfARingFirst() throws IOException {
        HstuConfig config = matchConfig();
        SplittableRandom random = new SplittableRandom(9);
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            MatchTask task = (MatchTask) model.task();
            task.attach(genres(config, new ItemVocabulary(config.items().capacity())));
            float[] towerBefore =
                    task.tower().getParameters().get("weight0").getArray().toFloatArray();
            float[] idBefore =
                    model.encoder().itemEmbedding().weight().getArray().toFloatArray();
            List<Float> losses = new ArrayList<>();
            for (int step = 0; step < 80; step++) {
                StepResult result = trainer.step(ringBatch(random, 32, 10));
                assertThat(result.skipped()).isFalse();
                losses.add(result.loss());
            }
            float first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
            float last = (losses.get(77) + losses.get(78) + losses.get(79)) / 3;
            assertThat(last).as("loss %s -> %s", first, last).isLessThan(first * 0.5f);
            assertThat(task.tower().getParameters().get("weight0").getArray().toFloatArray())
                    .isNotEqualTo(towerBefore);
            assertThat(model.encoder().itemEmbedding().weight().getArray().toFloatArray())
                    .as("the id part trains the encoder's item table")
                    .isNotEqualTo(idBefore);

            PackedBatch probe = ringBatch(new SplittableRandom(123), 50, 8);
            TopK[] top = model.recommend(probe, 1, false);
            int hits = 0;
            for (int s = 0; s < probe.size(); s++) {
                int lastItem = probe.items()[probe.offsets()[s + 1] - 1];
                if (top[s].items()[0] == next(lastItem)) {
                    hits++;
                }
            }
            assertThat(hits).as("top-1 hits out of 50").isGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void aSavedMatchModelLoadsWithItsTowerAndScoresAsBeforeOnceItsSideValuesAreAttached() throws IOException {
        HstuConfig config = matchConfig().with("match.outputDim", 12).validate();
        float[] saved;
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            ((MatchTask) model.task())
                    .attach(genres(config, new ItemVocabulary(config.items().capacity())));
            trainer.step(ringBatch(new SplittableRandom(1), 8, 6));
            saved = model.itemEmbeddings();
            model.save(dir);
        }
        try (HstuModel loaded = HstuModel.load(dir)) {
            assertThat(loaded.config().match()).isEqualTo(config.match());
            assertThatThrownBy(loaded::itemEmbeddings)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("attach");
            ((MatchTask) loaded.task())
                    .attach(genres(config, new ItemVocabulary(config.items().capacity())));
            assertThat(loaded.itemEmbeddings()).containsExactly(saved);
        }
    }

    @Test
    void aConfigWithoutAMatchSectionRetrievesAsBefore() {
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            assertThat(model.task()).isInstanceOf(RetrievalTask.class);
            assertThat(TestBatches.tiny().toJson()).doesNotContain("match");
        }
        assertThatThrownBy(() -> TestBatches.tiny()
                        .with("match.hiddenUnits", List.of(0))
                        .with("match.outputDim", -1)
                        .with("task.rankLoss", "PAIRWISE")
                        .validate())
                .hasMessageContaining("model.match.hiddenUnits widths must be >= 1")
                .hasMessageContaining("model.match.outputDim must be >= 0")
                .hasMessageContaining("not its rank package");
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static PackedBatch ringBatch(SplittableRandom random, int sequences, int length) {
        PackedBatch.Builder builder = PackedBatch.builder();
        for (int s = 0; s < sequences; s++) {
            int item = 2 + random.nextInt(ROWS - 2);
            long ts = 1_700_000_000L + random.nextInt(1000);
            for (int p = 0; p < length; p++) {
                builder.addEvent(item, random.nextInt(4), ts);
                item = next(item);
                ts += 1 + random.nextInt(5000);
            }
            builder.endSequence(0);
        }
        return builder.build();
    }

    private static int next(int item) {
        return item == ROWS - 1 ? 2 : item + 1;
    }
}
