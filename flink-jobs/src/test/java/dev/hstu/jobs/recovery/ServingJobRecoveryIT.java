package dev.hstu.jobs.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.FlinkRuntime;
import dev.hstu.jobs.LocalFlinkCluster;
import dev.hstu.jobs.ServingJob;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.config.KafkaSettings;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.KafkaSources;
import dev.hstu.jobs.kafka.TopicReader;
import dev.hstu.jobs.recovery.RecoveryFixtures.Event;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import dev.hstu.sink.KafkaSinks;
import dev.hstu.sink.QueryEmbedding;
import dev.hstu.sink.Recommendation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving job killed mid-stream after a completed checkpoint and restarted by Flink from it, on a real
 * in-process Kafka broker and a MiniCluster with RocksDB, reading its events and model manifests from Kafka and
 * writing recommendations and query embeddings with exactly-once sinks; what came out is read back with
 * read_committed.
 */
class ServingJobRecoveryIT {

    private static final int USERS = 20;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedKafka broker;

    @TempDir
    Path work;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * No list is committed twice for the same (user, model version, event time), although the records after the
     * checkpoint were processed twice, and every user's latest list reflects the user's last event: no event was
     * lost from the restored state.
     */
    @Test
    void aFailureMidStreamRepeatsNoListAndLosesNoEvent() throws Exception {
        List<Event> events = RecoveryFixtures.events(USERS);
        Map<Long, Long> lastTs = RecoveryFixtures.lastEventTime(events);
        JobConfig config = config("plain");
        KafkaSettings kafka = config.kafka();
        Path marker = work.resolve("failed-once");

        ModelVersion v1 =
                RecoveryFixtures.publishModel(Path.of(config.training().modelDir()), 1, events, false);
        RecoveryFixtures.announce(kafka.bootstrapServers(), kafka.modelUpdatesTopic(), v1);
        RecoveryFixtures.produce(kafka.bootstrapServers(), kafka.interactionsTopic(), events);

        Committed out = runUntil(config, marker, events.size(), latest -> allFresh(latest, lastTs, 1));
        List<Recommendation> recs = out.recommendations();

        assertFailedOnceAndRestored(marker, events.size());
        assertThat(recs).extracting(Recommendation::modelVersion).containsOnly(1L);
        assertNoDuplicates(recs);
        Map<Long, Recommendation> latest = latestPerUser(recs);
        assertThat(latest).hasSize(USERS);
        assertThat(allFresh(latest, lastTs, 1))
                .as("each user's latest list reflects the user's last event")
                .isTrue();
        assertEmbeddingsMatch(out, latest);
    }

    /**
     * The trainer killed mid-write of a version leaves a temporary directory without a manifest; a version whose
     * files do not match their checksum (a torn write) is announced too, and so is one pointing at that temporary
     * directory. Neither is ever served, not before and not after a restore from a checkpoint taken after they were
     * announced: the previous complete version keeps serving every change, until the next complete version
     * arrives.
     */
    @Test
    void partialVersionsAreNeverServedAndThePreviousVersionSurvivesARestore() throws Exception {
        List<Event> events = RecoveryFixtures.events(USERS);
        Map<Long, Long> lastTs = RecoveryFixtures.lastEventTime(events);
        JobConfig config = config("partial");
        KafkaSettings kafka = config.kafka();
        Path models = Path.of(config.training().modelDir());
        Path marker = work.resolve("failed-once");

        ModelVersion v1 = RecoveryFixtures.publishModel(models, 1, events, false);
        ModelVersion torn = RecoveryFixtures.publishModel(models, 2, events, false);
        truncateOneFile(Path.of(torn.path()));
        Path leftover = partialCopy(Path.of(v1.path()), models.resolve("v-00000003.tmp-" + UUID.randomUUID()));
        ModelVersion unfinished = new ModelVersion(
                3, 3, leftover.toString(), System.currentTimeMillis(), 1.0, 0, v1.items(), false, v1.checksum());
        assertThat(new ModelStore(models).latestVersion())
                .as("a temporary directory is not a version")
                .hasValue(2);
        for (ModelVersion v : List.of(v1, torn, unfinished)) {
            RecoveryFixtures.announce(kafka.bootstrapServers(), kafka.modelUpdatesTopic(), v);
        }
        RecoveryFixtures.produce(kafka.bootstrapServers(), kafka.interactionsTopic(), events);

        ModelVersion[] v4 = {null};
        Committed out = runUntil(config, marker, events.size(), latest -> {
            if (v4[0] == null && allFresh(latest, lastTs, 1)) {
                // Version 1 served every event, also those after the restore: now a complete final version.
                v4[0] = RecoveryFixtures.publishModel(models, 4, events, true);
                RecoveryFixtures.announce(kafka.bootstrapServers(), kafka.modelUpdatesTopic(), v4[0]);
            }
            return v4[0] != null && allFresh(latest, lastTs, 4);
        });
        List<Recommendation> recs = out.recommendations();

        assertFailedOnceAndRestored(marker, events.size());
        assertThat(v4[0])
                .as("version 1 kept serving every user's last event across the restore")
                .isNotNull();
        assertThat(recs)
                .extracting(Recommendation::modelVersion)
                .as("the partial versions were never served")
                .containsOnly(1L, 4L);
        assertNoDuplicates(recs);
        Map<Long, Recommendation> latest = latestPerUser(recs);
        assertThat(latest).hasSize(USERS);
        assertThat(allFresh(latest, lastTs, 4))
                .as("the next complete version re-scored every user")
                .isTrue();
        assertThat(out.embeddings()).extracting(QueryEmbedding::modelVersion).containsOnly(1L, 4L);
        assertEmbeddingsMatch(out, latest);
    }

    /** What the job committed to its two topics. */
    private record Committed(List<Recommendation> recommendations, List<QueryEmbedding> embeddings) {}

    /**
     * The query-embeddings topic went through the same failure: no embedding committed twice, and each user's
     * latest one belongs to the user's latest list (same version and event time), a unit vector.
     */
    private static void assertEmbeddingsMatch(Committed out, Map<Long, Recommendation> latestLists) {
        Set<List<Long>> seen = new HashSet<>();
        for (QueryEmbedding e : out.embeddings()) {
            assertThat(seen.add(List.of(e.userId(), e.modelVersion(), e.eventTimeMs())))
                    .as(
                            "embedding committed twice: user %d, version %d, event time %d",
                            e.userId(), e.modelVersion(), e.eventTimeMs())
                    .isTrue();
        }
        Map<Long, QueryEmbedding> latest = new HashMap<>();
        out.embeddings().forEach(e -> latest.put(e.userId(), e));
        assertThat(latest.keySet()).isEqualTo(latestLists.keySet());
        latest.forEach((user, e) -> {
            assertThat(List.of(e.modelVersion(), e.eventTimeMs()))
                    .as("user %d", user)
                    .isEqualTo(List.of(
                            latestLists.get(user).modelVersion(),
                            latestLists.get(user).eventTimeMs()));
            double norm = 0;
            for (float x : e.embedding()) {
                norm += (double) x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
        });
    }

    /** Settings with topics of their own on the shared broker, created here. */
    private JobConfig config(String name) {
        JobConfig config = RecoveryFixtures.config(
                work,
                broker.bootstrapServers(),
                Map.of(
                        "kafka.interactionsTopic", "interactions-" + name,
                        "kafka.modelUpdatesTopic", "model-updates-" + name,
                        "kafka.recommendationsTopic", "recommendations-" + name,
                        "kafka.queryEmbeddingsTopic", "query-embeddings-" + name,
                        "kafka.deadLetterTopic", "interactions-dlq-" + name,
                        "kafka.groupIdPrefix", "recovery-" + name));
        KafkaSettings kafka = config.kafka();
        broker.createTopics(2, kafka.interactionsTopic(), kafka.recommendationsTopic(), kafka.queryEmbeddingsTopic());
        broker.createTopics(1, kafka.modelUpdatesTopic());
        return config;
    }

    /**
     * Runs the serving job with one failure injected after its source until {@code done} holds for the latest
     * committed list per user and each user's latest committed embedding belongs to that list, then cancels it;
     * returns everything committed, in topic order per user.
     */
    private Committed runUntil(JobConfig config, Path marker, int events, Predicate<Map<Long, Recommendation>> done)
            throws Exception {
        KafkaSettings kafka = config.kafka();
        List<Recommendation> recs = new ArrayList<>();
        Map<Long, Recommendation> latest = new HashMap<>();
        Map<Long, QueryEmbedding> latestEmbeddings = new HashMap<>();
        long t0 = System.nanoTime();
        try (LocalFlinkCluster flink = LocalFlinkCluster.start(config.flink(), 2);
                TopicReader reader = new TopicReader(kafka.bootstrapServers(), kafka.recommendationsTopic());
                TopicReader embeddings = new TopicReader(kafka.bootstrapServers(), kafka.queryEmbeddingsTopic())) {
            JobID job = flink.submit(jobWithInjectedFailure(config, marker, events), "HSTU serving (recovery test)");
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean reached = false;
            while (!reached && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(300), r -> {
                    Recommendation rec = JsonCodec.fromBytes(r.value(), Recommendation.class);
                    recs.add(rec);
                    latest.put(rec.userId(), rec);
                });
                embeddings.poll(Duration.ofMillis(50), r -> {
                    QueryEmbedding e = JsonCodec.fromBytes(r.value(), QueryEmbedding.class);
                    latestEmbeddings.put(e.userId(), e);
                });
                assertThat(flink.isFinished(job))
                        .as("the serving job is still running")
                        .isFalse();
                reached = Files.exists(marker) && done.test(latest) && sameVersions(latest, latestEmbeddings);
            }
            System.out.printf(
                    "serving job reached its end state: %s after %.1f s%n", reached, (System.nanoTime() - t0) / 1e9);
            flink.cancel(job);
        }
        // Everything committed, from the beginning (also what committed after the last poll above).
        return new Committed(
                RecoveryFixtures.readAll(kafka.bootstrapServers(), kafka.recommendationsTopic(), Recommendation.class),
                RecoveryFixtures.readAll(kafka.bootstrapServers(), kafka.queryEmbeddingsTopic(), QueryEmbedding.class));
    }

    private static boolean sameVersions(Map<Long, Recommendation> lists, Map<Long, QueryEmbedding> embeddings) {
        for (var e : lists.entrySet()) {
            QueryEmbedding q = embeddings.get(e.getKey());
            if (q == null
                    || q.modelVersion() != e.getValue().modelVersion()
                    || q.eventTimeMs() != e.getValue().eventTimeMs()) {
                return false;
            }
        }
        return true;
    }

    /** The serving job as {@link ServingJob#kafkaJob} builds it, with the failure injected after the source. */
    private static StreamExecutionEnvironment jobWithInjectedFailure(JobConfig config, Path marker, int events) {
        StreamExecutionEnvironment env = FlinkRuntime.environment(config.flink());
        env.configure(RecoveryFixtures.restartOnce());
        KafkaSettings kafka = config.kafka();
        DataStream<RawRecord> raw = env.fromSource(
                        KafkaSources.interactions(kafka, "serving", false),
                        WatermarkStrategy.noWatermarks(),
                        "Interactions")
                .uid("interactions-source")
                .map(new FailOnceAfterCheckpoint<RawRecord>(marker, events / 3, events / 6))
                .returns(TypeInformation.of(RawRecord.class))
                .name("Inject one failure")
                .uid("inject-failure");
        DataStream<RawRecord> updates = env.fromSource(
                        KafkaSources.modelUpdates(kafka, "serving-models"),
                        WatermarkStrategy.noWatermarks(),
                        "Model updates")
                .uid("model-updates-source")
                .setParallelism(1);
        ServingJob.assemble(
                config,
                raw,
                updates,
                KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.recommendationsTopic(),
                        Recommendation.class,
                        r -> Long.toUnsignedString(r.userId()),
                        DeliveryGuarantee.EXACTLY_ONCE,
                        kafka.groupIdPrefix() + "-serving-recs"),
                KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.queryEmbeddingsTopic(),
                        QueryEmbedding.class,
                        e -> Long.toUnsignedString(e.userId()),
                        DeliveryGuarantee.EXACTLY_ONCE,
                        kafka.groupIdPrefix() + "-serving-embeddings"),
                KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.deadLetterTopic(),
                        DeadLetter.class,
                        null,
                        DeliveryGuarantee.EXACTLY_ONCE,
                        kafka.groupIdPrefix() + "-serving-dlq"));
        return env;
    }

    private static void assertFailedOnceAndRestored(Path marker, int events) {
        FailOnceAfterCheckpoint.Probe probe = FailOnceAfterCheckpoint.probe(marker);
        assertThat(marker).as("the injected failure fired").exists();
        assertThat(probe.armingCheckpoint.get())
                .as("a checkpoint completed before the failure")
                .isPositive();
        assertThat(probe.restoredSubtasks.get())
                .as("subtasks restored from that checkpoint")
                .isPositive();
        assertThat(probe.records.get())
                .as("records after the checkpoint were replayed")
                .isGreaterThan(events);
        System.out.printf(
                "failure after checkpoint %d at record %d; %d records through the source for %d in the " + "topic%n",
                probe.armingCheckpoint.get(), probe.recordsAtFailure.get(), probe.records.get(), events);
    }

    private static void assertNoDuplicates(List<Recommendation> recs) {
        Set<List<Long>> seen = new HashSet<>();
        List<List<Long>> duplicates = new ArrayList<>();
        for (Recommendation r : recs) {
            List<Long> key = List.of(r.userId(), r.modelVersion(), r.eventTimeMs());
            if (!seen.add(key)) {
                duplicates.add(key);
            }
        }
        System.out.printf(
                "%d recommendations committed, %d distinct (user, version, event time)%n", recs.size(), seen.size());
        assertThat(duplicates)
                .as("lists committed twice (user, model_version, event_time)")
                .isEmpty();
    }

    private static Map<Long, Recommendation> latestPerUser(List<Recommendation> recs) {
        Map<Long, Recommendation> latest = new HashMap<>();
        recs.forEach(r -> latest.put(r.userId(), r));
        return latest;
    }

    private static boolean allFresh(Map<Long, Recommendation> latest, Map<Long, Long> lastTs, long version) {
        for (var e : lastTs.entrySet()) {
            Recommendation r = latest.get(e.getKey());
            if (r == null || r.modelVersion() != version || r.eventTimeMs() != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Cuts the largest file of a version in half: its manifest's checksum no longer matches. */
    private static void truncateOneFile(Path versionDir) throws IOException {
        Path largest;
        try (Stream<Path> files = Files.list(versionDir)) {
            largest = files.filter(p -> !p.getFileName().toString().equals(ModelVersion.MANIFEST))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(largest);
        Files.write(largest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    /** What a writer killed midway leaves: some of the files, the last one cut short, and no manifest. */
    private static Path partialCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals(ModelVersion.MANIFEST))
                    .toList()) {
                byte[] bytes = Files.readAllBytes(f);
                Files.write(to.resolve(f.getFileName()), java.util.Arrays.copyOf(bytes, bytes.length / 3));
            }
        }
        return to;
    }
}
