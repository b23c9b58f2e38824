package dev.hstu.jobs.recovery;

import dev.hstu.jobs.config.ServingSettings;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.recovery.RecoveryFixtures.Event;
import dev.hstu.jobs.serve.ServingFunction;
import dev.hstu.jobs.train.ModelVersion;
import dev.hstu.sink.Recommendation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serving function restored from a snapshot taken after a version that cannot be loaded was announced: the
 * restored subtask serves the previous complete version (before the fix it came back serving nothing, because the
 * broadcast state recorded the announced version rather than the one that loaded).
 */
class ServingRestoreTest {

    @TempDir
    Path models;

    private static KeyedTwoInputStreamOperatorTestHarness<Long, InteractionEvent, ModelVersion, Recommendation>
            harness() throws Exception {
        var operator = new CoBroadcastWithKeyedOperator<>(
                new ServingFunction(new ServingSettings(5, true, 1000L), 50, Duration.ofDays(1)),
                List.of(ServingFunction.MODEL_STATE));
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(operator, InteractionEvent::userId, v -> 0L, Types.LONG);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    @Test
    void aRestoreAfterAnUnloadableVersionKeepsServingThePreviousOne() throws Exception {
        List<Event> catalogue = List.of(new Event(7, 100, 1, 1000), new Event(7, 101, 1, 2000),
                new Event(7, 102, 1, 3000), new Event(7, 103, 1, 4000), new Event(7, 104, 1, 5000),
                new Event(7, 105, 1, 6000), new Event(7, 106, 1, 7000), new Event(7, 107, 1, 8000));
        ModelVersion v1 = RecoveryFixtures.publishModel(models, 1, catalogue, false);
        // Announced, but its directory has no manifest: what a trainer killed mid-write leaves behind.
        Path partial = Files.createDirectories(models.resolve("v-00000002.tmp-killed"));
        Files.write(partial.resolve("weights"), new byte[] {1, 2, 3});
        ModelVersion v2 = new ModelVersion(2, 2, partial.toString(), 0, 1.0, 0, v1.items(), false, v1.checksum());

        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement2(v1, 0);
            h.processElement1(new InteractionEvent(7, 100, 1, 1000), 1000);
            h.setProcessingTime(1001);
            h.processElement2(v2, 0);
            h.processElement1(new InteractionEvent(7, 101, 1, 2000), 2000);
            snapshot = h.snapshot(1L, 1L);
            assertThat(h.extractOutputValues()).extracting(Recommendation::modelVersion).containsExactly(1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement1(new InteractionEvent(7, 102, 1, 3000), 3000);
            restored.setProcessingTime(10_000);

            List<Recommendation> out = restored.extractOutputValues();
            assertThat(out).extracting(Recommendation::modelVersion).containsExactly(1L);
            assertThat(out.get(0).eventTimeMs()).isEqualTo(3000);
            assertThat(out.get(0).items()).doesNotContain(100L, 101L, 102L);
        }
    }
}
