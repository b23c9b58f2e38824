package dev.hstu.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.config.ServingSettings;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.SequencePacker;
import dev.hstu.model.serve.ScoringModel;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.QueryEmbedding;
import dev.hstu.sink.Recommendation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving function on RocksDB with real (small, untrained) model versions published to a directory. */
class ServingFunctionTest {

    private static final HstuConfig CONFIG = HstuConfig.defaults()
            .with("items.capacity", 40)
            .with("encoder.embeddingDim", 16)
            .with("stu.numHeads", 2)
            .with("stu.numLayers", 1)
            .with("encoder.maxSeqLen", 8)
            .validate();
    private static final int MAX_LENGTH = 8;

    @TempDir
    Path modelDir;

    private ModelVersion publish(long version) {
        return new ModelStore(modelDir).publish(version, dir -> {
            try (HstuModel model = HstuModel.create(CONFIG)) {
                ItemVocabulary vocabulary = new ItemVocabulary(CONFIG.items().capacity());
                for (long id = 100; id < 130; id++) {
                    vocabulary.indexOrAssign(id);
                }
                model.setItemRowsInUse(vocabulary.size());
                model.save(dir);
                vocabulary.save(dir.resolve(ModelFiles.VOCABULARY));
            }
            return new ModelStore.ManifestFields(version * 10, 1.0, 100, 30, false);
        });
    }

    private static ServingFunction function(ModelSource source) {
        return function(source, 1000L);
    }

    private static ServingFunction function(ModelSource source, long refreshDelayMs) {
        return new ServingFunction(
                new ServingSettings(5, true, refreshDelayMs), MAX_LENGTH, Duration.ofDays(1), source);
    }

    @Test
    void aNewVersionScoresEveryChangedUserAndTimersRefreshLaterChanges() throws Exception {
        ModelVersion v1 = publish(1);
        ServingFunction function = function(ModelSource.FILES);
        try (var h = ServingHarness.of(function)) {
            h.open();
            h.processElement1(new InteractionEvent(1, 100, 1, 1000), 1000);
            h.processElement1(new InteractionEvent(1, 101, 0, 2000), 2000);
            h.processElement1(new InteractionEvent(2, 105, 1, 1500), 1500);
            assertThat(h.extractOutputValues()).as("no model yet").isEmpty();

            h.processElement2(v1, 0);
            ServingHarness.advanceUntil(h, () -> h.extractOutputValues().size() == 2, "version 1 scores both users");

            List<Recommendation> first = h.extractOutputValues();
            assertThat(first).extracting(Recommendation::userId).containsExactlyInAnyOrder(1L, 2L);
            for (Recommendation r : first) {
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.items()).hasSize(5);
                for (long id : r.items()) {
                    assertThat(id).isBetween(100L, 129L);
                }
            }
            Recommendation user1 =
                    first.stream().filter(r -> r.userId() == 1).findFirst().orElseThrow();
            assertThat(user1.items()).doesNotContain(100L, 101L);
            assertThat(user1.eventTimeMs()).isEqualTo(2000);

            h.processElement1(new InteractionEvent(1, 102, 1, 3000), 3000);
            h.setProcessingTime(h.getProcessingTime() + 1001);

            List<Recommendation> all = h.extractOutputValues();
            assertThat(all).hasSize(3);
            assertThat(all.get(2).userId()).isEqualTo(1);
            assertThat(all.get(2).eventTimeMs()).isEqualTo(3000);
            assertThat(all.get(2).items()).doesNotContain(100L, 101L, 102L);
            assertThat(ServingHarness.embeddings(h))
                    .as("one embedding per list")
                    .hasSize(3);
        }
    }

    /**
     * The side output carries, for every list, the user's query as the model computes it for the user's sequence:
     * unit norm, with the list's version and event time, and the very vector the list was scored with.
     */
    @Test
    void everyListComesWithTheQueryEmbeddingItWasScoredWith() throws Exception {
        ModelVersion v1 = publish(1);
        try (var h = ServingHarness.of(function(ModelSource.FILES))) {
            h.open();
            h.processElement1(new InteractionEvent(1, 100, 1, 1000), 1000);
            h.processElement1(new InteractionEvent(1, 101, 0, 2000), 2000);
            h.processElement1(new InteractionEvent(2, 105, 1, 1500), 1500);
            h.processElement2(v1, 0);
            ServingHarness.advanceUntil(h, () -> ServingHarness.embeddings(h).size() == 2, "two embeddings");

            List<Recommendation> lists = h.extractOutputValues();
            List<QueryEmbedding> embeddings = ServingHarness.embeddings(h);
            try (HstuModel model = HstuModel.load(Path.of(v1.path()))) {
                ItemVocabulary vocabulary = ItemVocabulary.load(ModelFiles.vocabulary(Path.of(v1.path())));
                float[] items = model.itemEmbeddings();
                for (QueryEmbedding e : embeddings) {
                    Recommendation list = lists.stream()
                            .filter(r -> r.userId() == e.userId())
                            .findFirst()
                            .orElseThrow();
                    assertThat(e.modelVersion()).isEqualTo(1);
                    assertThat(e.eventTimeMs()).isEqualTo(list.eventTimeMs()).isEqualTo(e.userId() == 1 ? 2000 : 1500);
                    assertThat(e.embedding()).hasSize(CONFIG.encoder().embeddingDim());
                    assertThat(norm(e.embedding())).isCloseTo(1.0, within(1e-5));

                    SequencePacker packer = new SequencePacker(vocabulary, false);
                    if (e.userId() == 1) {
                        packer.add(new long[] {100, 101}, new int[] {1, 0}, new long[] {1000, 2000}, 0, MAX_LENGTH);
                    } else {
                        packer.add(new long[] {105}, new int[] {1}, new long[] {1500}, 0, MAX_LENGTH);
                    }
                    float[] expected = model.encodeQueries(packer.drain());
                    assertThat(e.embedding()).containsExactly(expected, within(1e-5f));

                    for (int i = 0; i < list.items().length; i++) {
                        int row = vocabulary.indexOf(list.items()[i]) - ItemVocabulary.FIRST_ITEM;
                        assertThat(list.scores()[i])
                                .as("score of item %d is its cosine with the emitted query", list.items()[i])
                                .isCloseTo(dot(e.embedding(), items, row), within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void aCorruptVersionIsRefusedAndThePreviousOneKeepsServing() throws Exception {
        ModelVersion v1 = publish(1);
        ModelVersion v2 = publish(2);
        Path weights;
        try (var files = Files.list(Path.of(v2.path()))) {
            weights = files.filter(p -> !p.getFileName().toString().equals(ModelVersion.MANIFEST))
                    .findFirst()
                    .orElseThrow();
        }
        Files.write(weights, new byte[] {1, 2, 3});
        ServingFunction function = function(ModelSource.FILES);
        try (var h = ServingHarness.of(function)) {
            h.open();
            h.processElement2(v1, 0);
            ServingHarness.advanceUntil(h, () -> function.servingVersion() == 1, "version 1 loads");
            h.processElement1(new InteractionEvent(7, 110, 1, 1000), 1000);
            h.processElement2(v2, 0);
            ServingHarness.advanceUntil(h, () -> function.modelLoadFailures() == 1, "version 2 fails to load");
            h.setProcessingTime(h.getProcessingTime() + 1001);

            List<Recommendation> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).modelVersion()).isEqualTo(1);
            assertThat(function.servingVersion()).isEqualTo(1);
        }
    }

    /**
     * A version that takes long to load neither holds up the task thread nor stops the previous version from
     * serving new events; it replaces that version once loaded, re-scoring the users that changed meanwhile.
     */
    @Test
    void aSlowLoadDoesNotHoldUpServingThePreviousVersion() throws Exception {
        ModelVersion v1 = publish(1);
        ModelVersion v2 = publish(2);
        CountDownLatch release = new CountDownLatch(1);
        // Refresh timers far apart: only the swap to version 2 may re-score the last change.
        long refresh = 60_000;
        ServingFunction function = function(
                version -> {
                    if (version.version() == 2) {
                        await(release);
                    }
                    return ScoringModel.load(version);
                },
                refresh);
        try (var h = ServingHarness.of(function)) {
            h.open();
            h.processElement2(v1, 0);
            ServingHarness.advanceUntil(h, () -> function.servingVersion() == 1, "version 1 loads");

            long t0 = System.nanoTime();
            h.processElement2(v2, 0);
            h.processElement1(new InteractionEvent(7, 110, 1, 1000), 1000);
            h.setProcessingTime(h.getProcessingTime() + refresh + 1);
            h.processElement1(new InteractionEvent(8, 111, 1, 2000), 2000);
            h.setProcessingTime(h.getProcessingTime() + refresh + 1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("the task thread never waited for the load")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(h.extractOutputValues())
                    .as("version 1 serves while version 2 loads")
                    .extracting(Recommendation::userId, Recommendation::modelVersion)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(7L, 1L), org.assertj.core.groups.Tuple.tuple(8L, 1L));

            h.processElement1(new InteractionEvent(7, 112, 1, 3000), 3000);
            release.countDown();
            ServingHarness.advanceUntil(h, () -> function.servingVersion() == 2, "version 2 loads");
            List<Recommendation> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(2))
                    .as("the user who changed while it loaded, re-scored by version 2")
                    .extracting(Recommendation::userId, Recommendation::modelVersion, Recommendation::eventTimeMs)
                    .containsExactly(7L, 2L, 3000L);
        }
    }

    /** A version whose load throws is counted, not retried when announced again, and the previous one serves on. */
    @Test
    void aFailingLoadIsCountedAndThePreviousVersionServesOn() throws Exception {
        ModelVersion v1 = publish(1);
        ModelVersion v2 = publish(2);
        AtomicInteger attempts = new AtomicInteger();
        ServingFunction function = function(version -> {
            if (version.version() == 2) {
                attempts.incrementAndGet();
                throw new IllegalStateException("disk on fire");
            }
            return ScoringModel.load(version);
        });
        try (var h = ServingHarness.of(function)) {
            h.open();
            h.processElement2(v1, 0);
            ServingHarness.advanceUntil(h, () -> function.servingVersion() == 1, "version 1 loads");
            h.processElement2(v2, 0);
            ServingHarness.advanceUntil(h, () -> function.modelLoadFailures() == 1, "version 2 fails");
            h.processElement2(v2, 0);
            h.processElement1(new InteractionEvent(7, 110, 1, 1000), 1000);
            h.setProcessingTime(h.getProcessingTime() + 1001);

            assertThat(attempts).hasValue(1);
            assertThat(function.modelLoadFailures()).isEqualTo(1);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::modelVersion)
                    .containsExactly(1L);
            assertThat(ServingHarness.embeddings(h))
                    .extracting(QueryEmbedding::modelVersion)
                    .containsExactly(1L);
        }
    }

    /**
     * A user whose history holds an action outside the served version's action space (trained with another
     * model.features.actions.numActions) gets no list: a dead letter with the reason, while the other users of the
     * same batch are scored, and a later refresh of that user refuses again without failing the job.
     */
    @Test
    void aUserTheModelRefusesIsDeadLetteredAndTheOthersAreScored() throws Exception {
        ModelVersion v1 = publish(1);
        ServingFunction function = function(ModelSource.FILES);
        try (var h = ServingHarness.of(function)) {
            h.open();
            h.processElement1(new InteractionEvent(1, 100, 1, 1000), 1000);
            h.processElement1(new InteractionEvent(2, 105, 40, 1500), 1500);
            h.processElement1(new InteractionEvent(3, 106, 0, 1600), 1600);
            h.processElement2(v1, 0);
            ServingHarness.advanceUntil(h, () -> h.extractOutputValues().size() == 2, "version 1 scores two users");

            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::userId)
                    .containsExactlyInAnyOrder(1L, 3L);
            List<DeadLetter> refused = unscorable(h);
            assertThat(refused).hasSize(1);
            assertThat(refused.get(0).reason())
                    .startsWith("cannot score user 2 with model version 1: ")
                    .contains("outside model.features.actions.numActions=16");
            assertThat(new String(refused.get(0).excerpt(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("\"user_id\":\"2\"", "\"actions\":[40]");

            h.processElement1(new InteractionEvent(2, 107, 1, 2000), 2000);
            h.setProcessingTime(h.getProcessingTime() + 1001);
            assertThat(unscorable(h)).hasSize(2);
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    private static List<DeadLetter> unscorable(
            org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness<Long, ?, ?, ?> h) {
        List<DeadLetter> out = new java.util.ArrayList<>();
        var records = h.getSideOutput(ServingFunction.UNSCORABLE);
        if (records != null) {
            records.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the load");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    private static float dot(float[] query, float[] rows, int row) {
        float sum = 0;
        for (int i = 0; i < query.length; i++) {
            sum += query[i] * rows[row * query.length + i];
        }
        return sum;
    }
}
