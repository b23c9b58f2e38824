package dev.hstu.jobs.serve;

import dev.hstu.jobs.config.ServingSettings;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.train.ModelVersion;
import dev.hstu.jobs.train.VersionDirectory;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.features.ItemVocabulary;
import dev.hstu.sink.Recommendation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The serving function on RocksDB with real (small, untrained) model versions published to a directory. */
class ServingFunctionTest {

    private static final HstuConfig CONFIG = HstuConfig.builder()
            .itemCapacity(40).embeddingDim(16).numHeads(2).numLayers(1).maxSeqLen(8).build();

    @TempDir
    Path modelDir;

    private ModelVersion publish(long version) {
        return new VersionDirectory(modelDir).publish(version, dir -> {
            try (HstuModel model = HstuModel.create(CONFIG)) {
                ItemVocabulary vocabulary = new ItemVocabulary(CONFIG.itemCapacity());
                for (long id = 100; id < 130; id++) {
                    vocabulary.indexOrAssign(id);
                }
                model.setItemRowsInUse(vocabulary.size());
                model.save(dir);
                vocabulary.save(dir.resolve("items.u64bin"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, new VersionDirectory.ManifestFields(version * 10, 1.0, 100, 30, false));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<Long, InteractionEvent, ModelVersion, Recommendation>
            harness() throws Exception {
        var operator = new CoBroadcastWithKeyedOperator<>(
                new ServingFunction(new ServingSettings(5, true, 1000L), 8, Duration.ofDays(1)),
                List.of(ServingFunction.MODEL_STATE));
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(operator, InteractionEvent::userId, v -> 0L, Types.LONG);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    @Test
    void aNewVersionScoresEveryChangedUserAndTimersRefreshLaterChanges() throws Exception {
        ModelVersion v1 = publish(1);
        try (var h = harness()) {
            h.open();
            h.processElement1(new InteractionEvent(1, 100, 1, 1000), 1000);
            h.processElement1(new InteractionEvent(1, 101, 0, 2000), 2000);
            h.processElement1(new InteractionEvent(2, 105, 1, 1500), 1500);
            assertThat(h.extractOutputValues()).as("no model yet").isEmpty();

            h.processElement2(v1, 0);

            List<Recommendation> first = h.extractOutputValues();
            assertThat(first).extracting(Recommendation::userId).containsExactlyInAnyOrder(1L, 2L);
            for (Recommendation r : first) {
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.items()).hasSize(5);
                for (long id : r.items()) {
                    assertThat(id).isBetween(100L, 129L);
                }
            }
            Recommendation user1 = first.stream().filter(r -> r.userId() == 1).findFirst().orElseThrow();
            assertThat(user1.items()).doesNotContain(100L, 101L);
            assertThat(user1.eventTimeMs()).isEqualTo(2000);

            h.processElement1(new InteractionEvent(1, 102, 1, 3000), 3000);
            h.setProcessingTime(h.getProcessingTime() + 1001);

            List<Recommendation> all = h.extractOutputValues();
            assertThat(all).hasSize(3);
            assertThat(all.get(2).userId()).isEqualTo(1);
            assertThat(all.get(2).eventTimeMs()).isEqualTo(3000);
            assertThat(all.get(2).items()).doesNotContain(100L, 101L, 102L);
        }
    }

    @Test
    void aCorruptVersionIsRefusedAndThePreviousOneKeepsServing() throws Exception {
        ModelVersion v1 = publish(1);
        ModelVersion v2 = publish(2);
        Path weights;
        try (var files = Files.list(Path.of(v2.path()))) {
            weights = files.filter(p -> !p.getFileName().toString().equals(ModelVersion.MANIFEST)).findFirst()
                    .orElseThrow();
        }
        Files.write(weights, new byte[] {1, 2, 3});
        try (var h = harness()) {
            h.open();
            h.processElement2(v1, 0);
            h.processElement1(new InteractionEvent(7, 110, 1, 1000), 1000);
            h.processElement2(v2, 0);
            h.setProcessingTime(h.getProcessingTime() + 1001);

            List<Recommendation> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).modelVersion()).isEqualTo(1);
        }
    }
}
