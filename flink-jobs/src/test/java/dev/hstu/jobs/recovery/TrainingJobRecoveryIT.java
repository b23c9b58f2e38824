package dev.hstu.jobs.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.FlinkRuntime;
import dev.hstu.jobs.LocalFlinkCluster;
import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.config.KafkaSettings;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.KafkaSources;
import dev.hstu.jobs.recovery.RecoveryFixtures.Event;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.KafkaSinks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training job killed mid-stream after a completed checkpoint and restarted by Flink from it, on a real
 * in-process Kafka broker and a MiniCluster with RocksDB: with {@code training.targets=new} every interaction but a
 * user's first is a training target exactly once, so the final manifest's count proves that nothing was lost from
 * state or trained twice across the restore; the exactly-once sinks, read with read_committed, show no duplicate.
 */
class TrainingJobRecoveryIT {

    private static final int USERS = 20;

    @TempDir
    Path work;

    @Test
    void aFailureMidStreamLosesNoTargetAndRepeatsNoOutput() throws Exception {
        List<Event> events = RecoveryFixtures.events(USERS);
        long users = events.stream().mapToLong(Event::user).distinct().count();
        assertThat(users).isEqualTo(USERS);
        Path marker = work.resolve("failed-once");

        try (EmbeddedKafka broker = EmbeddedKafka.start()) {
            JobConfig config = RecoveryFixtures.config(
                    work,
                    broker.bootstrapServers(),
                    Map.of(
                            "training.targets", "new",
                            "training.batchSize", "16",
                            "training.publishEverySteps", "2",
                            "sequence.trainingStride", "8"));
            KafkaSettings kafka = config.kafka();
            broker.createTopics(2, kafka.interactionsTopic(), kafka.deadLetterTopic());
            broker.createTopics(1, kafka.modelUpdatesTopic());
            List<String> bad = produceWithBadRecords(kafka, events);
            // An earlier trainer killed while writing version 1: some files, no manifest. Never a version to
            // warm-start from or to serve; cleaned up by the next publish.
            Path models = Path.of(config.training().modelDir());
            Path leftover = Files.createDirectories(models.resolve("v-00000001.tmp-killed"));
            Files.write(leftover.resolve("weights"), new byte[] {1, 2, 3});

            long t0 = System.nanoTime();
            try (LocalFlinkCluster flink = LocalFlinkCluster.start(config.flink(), 2)) {
                JobID job = flink.submit(
                        jobWithInjectedFailure(config, marker, events.size()), "HSTU training (recovery test)");
                flink.await(job, Duration.ofSeconds(80));
            }
            System.out.printf(
                    "training job with one injected failure finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            // The failure really happened, after a completed checkpoint, and the job was restored from one.
            FailOnceAfterCheckpoint.Probe probe = FailOnceAfterCheckpoint.probe(marker);
            assertThat(marker).as("the injected failure fired").exists();
            assertThat(probe.armingCheckpoint.get())
                    .as("a checkpoint completed before the failure")
                    .isPositive();
            assertThat(probe.restoredSubtasks.get())
                    .as("subtasks restored from that checkpoint")
                    .isPositive();
            int records = events.size() + bad.size();
            assertThat(probe.records.get())
                    .as("records after the checkpoint were replayed")
                    .isGreaterThan(records);
            System.out.printf(
                    "failure after checkpoint %d at record %d; %d records through the source for %d in "
                            + "the topic%n",
                    probe.armingCheckpoint.get(), probe.recordsAtFailure.get(), probe.records.get(), records);

            // model-updates: no version twice, in order, the last one final and counting every target exactly once.
            List<ModelVersion> versions =
                    RecoveryFixtures.readAll(broker.bootstrapServers(), kafka.modelUpdatesTopic(), ModelVersion.class);
            assertThat(versions).hasSizeGreaterThan(1);
            assertThat(versions)
                    .extracting(ModelVersion::version)
                    .doesNotHaveDuplicates()
                    .isSorted();
            assertThat(versions)
                    .extracting(ModelVersion::step)
                    .as("no version of the rolled-back attempt")
                    .doesNotHaveDuplicates()
                    .isSorted();
            assertThat(versions).extracting(ModelVersion::trainedTargets).isSorted();
            ModelVersion last = versions.get(versions.size() - 1);
            assertThat(last.finalVersion()).isTrue();
            assertThat(versions.subList(0, versions.size() - 1)).noneMatch(ModelVersion::finalVersion);
            assertThat(last.trainedTargets())
                    .as("every interaction but each user's first, trained exactly once")
                    .isEqualTo(events.size() - users);
            System.out.printf(
                    "%d versions committed on the topic: %s; %d targets trained%n",
                    versions.size(),
                    versions.stream().map(v -> v.version() + "@" + v.step()).toList(),
                    last.trainedTargets());

            // On disk: no partial version left (the killed writer's leftover was cleaned up), every version kept is
            // complete, and the final one is the one announced. Versions written by the rolled-back attempt keep
            // their numbers on disk, so the restored trainer continues after them: the topic shows a gap, no reuse.
            try (Stream<Path> dirs = Files.list(models)) {
                List<String> names =
                        dirs.map(p -> p.getFileName().toString()).sorted().toList();
                System.out.println("model directory after the run: " + names);
                assertThat(names).noneMatch(n -> n.contains(".tmp-"));
                for (String n : names.stream().filter(n -> n.startsWith("v-")).toList()) {
                    ModelStore.verify(models.resolve(n));
                }
            }
            assertThat(ModelStore.verify(Path.of(last.path()))).isEqualTo(last);

            // interactions-dlq: each bad record exactly once.
            List<DeadLetter> letters =
                    RecoveryFixtures.readAll(broker.bootstrapServers(), kafka.deadLetterTopic(), DeadLetter.class);
            assertThat(letters)
                    .extracting(DeadLetter::raw)
                    .as(() ->
                            RecoveryFixtures.transactionsAndRecords(broker.bootstrapServers(), kafka.deadLetterTopic()))
                    .containsExactlyInAnyOrderElementsOf(bad);
        }
    }

    /** The training job as {@link TrainingJob#kafkaJob} builds it, with the failure injected after the source. */
    private static StreamExecutionEnvironment jobWithInjectedFailure(JobConfig config, Path marker, int events) {
        StreamExecutionEnvironment env = FlinkRuntime.environment(config.flink());
        env.configure(RecoveryFixtures.restartOnce());
        KafkaSettings kafka = config.kafka();
        DataStream<RawRecord> raw = env.fromSource(
                        KafkaSources.interactions(kafka, "training", true),
                        WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                                .withTimestampAssigner((r, ts) -> r.kafkaTimestampMs())
                                .withIdleness(Duration.ofSeconds(30)),
                        "Interactions")
                .uid("interactions-source")
                .map(new FailOnceAfterCheckpoint<RawRecord>(marker, events / 3, events / 6))
                .returns(TypeInformation.of(RawRecord.class))
                .name("Inject one failure")
                .uid("inject-failure");
        TrainingJob.assemble(
                config,
                raw,
                KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.deadLetterTopic(),
                        DeadLetter.class,
                        null,
                        DeliveryGuarantee.EXACTLY_ONCE,
                        "recovery-training-dlq"),
                KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.modelUpdatesTopic(),
                        ModelVersion.class,
                        v -> "model",
                        DeliveryGuarantee.EXACTLY_ONCE,
                        "recovery-training-models"));
        return env;
    }

    /**
     * Produces the events in time order with three kinds of bad record mixed in at a quarter, half and three
     * quarters of the stream (so some lie before and some after the checkpoint the job restores from); returns the
     * bad payloads, each distinct.
     */
    private static List<String> produceWithBadRecords(KafkaSettings kafka, List<Event> events) {
        List<String> bad = new ArrayList<>();
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), kafka.interactionsTopic())) {
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                if (i > 0 && i % (events.size() / 4) == 0 && bad.size() < 9) {
                    for (String payload : List.of(
                            "{\"user_id\": 1, \"item_id\": " + i,
                            "{\"item_id\": " + i + ", \"action\": 1, \"ts\": " + e.tsMs() + "}",
                            "{\"user_id\": 1, \"item_id\": " + i + ", \"action\": 1, \"ts\": -" + i + "}")) {
                        producer.send(null, payload.getBytes(StandardCharsets.UTF_8), e.tsMs());
                        bad.add(payload);
                    }
                }
                producer.send(Long.toString(e.user()), e.json(), e.tsMs());
            }
            producer.flush();
        }
        return bad;
    }
}
