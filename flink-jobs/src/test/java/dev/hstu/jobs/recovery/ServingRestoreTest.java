package dev.hstu.jobs.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.config.ServingSettings;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.recovery.RecoveryFixtures.Event;
import dev.hstu.jobs.serve.ModelSource;
import dev.hstu.jobs.serve.ServingFunction;
import dev.hstu.jobs.serve.ServingHarness;
import dev.hstu.model.serve.ScoringModel;
import dev.hstu.sink.Recommendation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving function restored from snapshots: one taken after a version that cannot be loaded was announced (the
 * restored subtask serves the previous complete version; before that fix it came back serving nothing, because the
 * broadcast state recorded the announced version rather than the one that loaded), and one taken while a version
 * was still loading in the background.
 */
class ServingRestoreTest {

    @TempDir
    Path models;

    private static ServingFunction function(ModelSource source) {
        return new ServingFunction(new ServingSettings(5, true, 1000L), 50, Duration.ofDays(1), source);
    }

    @Test
    void aRestoreAfterAnUnloadableVersionKeepsServingThePreviousOne() throws Exception {
        List<Event> catalogue = List.of(
                new Event(7, 100, 1, 1000),
                new Event(7, 101, 1, 2000),
                new Event(7, 102, 1, 3000),
                new Event(7, 103, 1, 4000),
                new Event(7, 104, 1, 5000),
                new Event(7, 105, 1, 6000),
                new Event(7, 106, 1, 7000),
                new Event(7, 107, 1, 8000));
        ModelVersion v1 = RecoveryFixtures.publishModel(models, 1, catalogue, false);
        // Announced, but its directory has no manifest: what a trainer killed mid-write leaves behind.
        Path partial = Files.createDirectories(models.resolve("v-00000002.tmp-killed"));
        Files.write(partial.resolve("weights"), new byte[] {1, 2, 3});
        ModelVersion v2 = new ModelVersion(2, 2, partial.toString(), 0, 1.0, 0, v1.items(), false, v1.checksum());

        OperatorSubtaskState snapshot;
        ServingFunction function = function(ModelSource.FILES);
        try (var h = ServingHarness.of(function)) {
            h.open();
            h.processElement2(v1, 0);
            ServingHarness.advanceUntil(h, () -> function.servingVersion() == 1, "version 1 loads");
            h.processElement1(new InteractionEvent(7, 100, 1, 1000), 1000);
            h.setProcessingTime(h.getProcessingTime() + 1001);
            h.processElement2(v2, 0);
            ServingHarness.advanceUntil(h, () -> function.modelLoadFailures() == 1, "version 2 fails to load");
            h.processElement1(new InteractionEvent(7, 101, 1, 2000), 2000);
            snapshot = h.snapshot(1L, 1L);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::modelVersion)
                    .containsExactly(1L);
        }
        ServingFunction restoredFunction = function(ModelSource.FILES);
        try (var restored = ServingHarness.of(restoredFunction)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement1(new InteractionEvent(7, 102, 1, 3000), 3000);
            ServingHarness.advanceUntil(
                    restored, () -> !restored.extractOutputValues().isEmpty(), "the restored subtask serves again");

            List<Recommendation> out = restored.extractOutputValues();
            assertThat(out).extracting(Recommendation::modelVersion).containsExactly(1L);
            assertThat(out.get(0).eventTimeMs()).isEqualTo(3000);
            assertThat(out.get(0).items()).doesNotContain(100L, 101L, 102L);
            assertThat(restoredFunction.servingVersion()).isEqualTo(1);
        }
    }

    /**
     * A checkpoint taken while a version is still loading: its manifest lies before the source's checkpointed
     * offset and will not be read again, so the restored subtask loads it again by itself (after the version that
     * was serving), and it then serves.
     */
    @Test
    void aVersionStillLoadingAtTheCheckpointLoadsAfterTheRestore() throws Exception {
        List<Event> catalogue =
                List.of(new Event(7, 100, 1, 1000), new Event(7, 101, 1, 2000), new Event(7, 102, 1, 3000));
        ModelVersion v1 = RecoveryFixtures.publishModel(models, 1, catalogue, false);
        ModelVersion v2 = RecoveryFixtures.publishModel(models, 2, catalogue, true);
        CountDownLatch never = new CountDownLatch(1);
        ServingFunction function = function(version -> {
            if (version.version() == 2) {
                awaitQuietly(never); // Still loading when the snapshot is taken (released when the test ends).
            }
            return ScoringModel.load(version);
        });

        OperatorSubtaskState snapshot;
        try (var h = ServingHarness.of(function)) {
            h.open();
            h.processElement2(v1, 0);
            ServingHarness.advanceUntil(h, () -> function.servingVersion() == 1, "version 1 loads");
            h.processElement1(new InteractionEvent(7, 100, 1, 1000), 1000);
            h.processElement2(v2, 0);
            h.setProcessingTime(h.getProcessingTime() + 1001);
            snapshot = h.snapshot(1L, 1L);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::modelVersion)
                    .containsExactly(1L);
        } finally {
            never.countDown();
        }
        ServingFunction restoredFunction = function(ModelSource.FILES);
        try (var restored = ServingHarness.of(restoredFunction)) {
            restored.initializeState(snapshot);
            restored.open();
            ServingHarness.advanceUntil(
                    restored,
                    () -> restoredFunction.servingVersion() == 2,
                    "the version that was loading at the checkpoint serves after the restore");

            // Version 2 is final: as a version new to this subtask it re-scores every user.
            assertThat(restored.extractOutputValues())
                    .extracting(Recommendation::userId, Recommendation::modelVersion, Recommendation::eventTimeMs)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, 2L, 1000L));
        }
    }

    /**
     * The race ServingJobRecoveryIT once hit: a checkpoint taken while the first version still loads and a newer,
     * unloadable one waits. Before the fix only the newest announced version was kept in state, so the restored
     * subtask retried that one alone, it failed, and the subtask served nothing.
     */
    @Test
    void aRestoreWhileAnOlderVersionLoadsAndANewerOneIsBrokenServesTheOlderOne() throws Exception {
        List<Event> catalogue =
                List.of(new Event(7, 100, 1, 1000), new Event(7, 101, 1, 2000), new Event(7, 102, 1, 3000));
        ModelVersion v1 = RecoveryFixtures.publishModel(models, 1, catalogue, false);
        Path partial = Files.createDirectories(models.resolve("v-00000003.tmp-killed"));
        ModelVersion v3 = new ModelVersion(3, 3, partial.toString(), 0, 1.0, 0, v1.items(), false, v1.checksum());
        CountDownLatch never = new CountDownLatch(1);
        ServingFunction function = function(version -> {
            awaitQuietly(never); // nothing finishes loading before the snapshot
            return ScoringModel.load(version);
        });

        OperatorSubtaskState snapshot;
        try (var h = ServingHarness.of(function)) {
            h.open();
            h.processElement2(v1, 0);
            h.processElement2(v3, 0);
            h.processElement1(new InteractionEvent(7, 100, 1, 1000), 1000);
            snapshot = h.snapshot(1L, 1L);
            assertThat(function.servingVersion()).isEqualTo(-1);
        } finally {
            never.countDown();
        }
        ServingFunction restoredFunction = function(ModelSource.FILES);
        try (var restored = ServingHarness.of(restoredFunction)) {
            restored.initializeState(snapshot);
            restored.open();
            ServingHarness.advanceUntil(
                    restored,
                    () -> restoredFunction.servingVersion() == 1 && restoredFunction.modelLoadFailures() == 1,
                    "version 1 serves after the restore and version 3 is refused");
            restored.processElement1(new InteractionEvent(7, 101, 1, 2000), 2000);
            ServingHarness.advanceUntil(
                    restored, () -> !restored.extractOutputValues().isEmpty(), "the restored subtask serves");
            assertThat(restored.extractOutputValues())
                    .extracting(Recommendation::modelVersion)
                    .containsOnly(1L);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
