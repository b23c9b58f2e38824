package dev.hstu.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.jobs.FlinkRuntime;
import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.demo.RatingsLog;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.KafkaSources;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.jobs.sequence.TrainingSequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same MovieLens events, once replayed from a seq.jsonl (written by the converter) and once produced to a real
 * embedded broker and read by the live path's Kafka source, give the training job the same training sequences,
 * the same examples, and so the same final sequence state per user (the end of input flushes every user's last
 * sequence). The CTR channels are off here: their item-keyed stage hands a user's events to the sequence state in
 * whatever order its subtasks interleave them, so events with equal timestamps may swap places from run to run
 * on either path.
 */
class ReplayEquivalenceIT {

    private static final int EVENTS = 3000;
    private static EmbeddedKafka kafka;

    @TempDir
    static Path work;

    private static Path slice;

    @BeforeAll
    static void startKafkaAndWriteTheSlice() throws Exception {
        kafka = EmbeddedKafka.start();
        Topics.create(kafka.bootstrapServers(), 1, "interactions");
        RatingsLog log = RatingsLog.read(Path.of("..", "data", "ml-latest-small", "ratings.csv"));
        List<String> lines = new ArrayList<>();
        lines.add("userId,movieId,rating,timestamp");
        StringBuilder json = new StringBuilder();
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "interactions")) {
            for (int i = 0; i < EVENTS; i++) {
                lines.add(log.users[i] + "," + log.items[i] + "," + log.ratings[i] + "," + log.timestampsMs[i] / 1000);
                producer.send(
                        Long.toString(log.users[i]),
                        log.eventJson(i, MovieLensActions.clickAtOrAbove(4.0), json),
                        log.timestampsMs[i]);
            }
            producer.flush();
        }
        slice = work.resolve("ratings.csv");
        Files.write(slice, lines);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static JobConfig config() {
        return ConfigLoader.load(
                Path.of("..", "conf", "local.yaml"),
                Map.of(
                        "kafka.bootstrapServers", kafka.bootstrapServers(),
                        "flink.checkpointDir", work.resolve("checkpoints").toString()));
    }

    @Test
    void replayAndKafkaGiveTheSameTrainingSequences() throws Exception {
        Path seqJsonl = work.resolve("seq").resolve("seq.jsonl");
        assertThat(MovieLensSeqJsonl.convert(slice, seqJsonl, MovieLensActions.clickAtOrAbove(4.0)))
                .isEqualTo(EVENTS);
        List<InputReject> rejects = new ArrayList<>();
        ReplayLog log = ReplayLog.prepare(seqJsonl, work.resolve("replay"), rejects::add);
        assertThat(rejects).isEmpty();
        assertThat(log.events()).isEqualTo(EVENTS);

        JobConfig config = config();
        StreamExecutionEnvironment replayEnv = FlinkRuntime.environment(config.flink());
        Map<Long, List<String>> replayed = run(replayEnv, ReplaySource.of(replayEnv, log, 0), config);

        StreamExecutionEnvironment kafkaEnv = FlinkRuntime.environment(config.flink());
        DataStream<RawRecord> live = kafkaEnv.fromSource(
                KafkaSources.interactions(config.kafka(), "replay-test", true),
                WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                        .withTimestampAssigner((r, ts) -> r.kafkaTimestampMs()),
                "Interactions");
        Map<Long, List<String>> fromKafka = run(kafkaEnv, live, config);

        assertThat(replayed.values().stream().mapToInt(List::size).sum()).isGreaterThan(100);
        assertThat(replayed.keySet()).isEqualTo(fromKafka.keySet());
        for (Long user : replayed.keySet()) {
            assertThat(replayed.get(user)).as("user %d", user).isEqualTo(fromKafka.get(user));
        }
    }

    /** The training sequences per user, in the order the user's sequence state emitted them. */
    private static Map<Long, List<String>> run(
            StreamExecutionEnvironment env, DataStream<RawRecord> raw, JobConfig config) throws Exception {
        CloseableIterator<TrainingSequence> it =
                TrainingJob.sequences(config, raw, new DiscardingSink<>()).collectAsync();
        env.execute("sequences");
        Map<Long, List<String>> out = new TreeMap<>();
        try (it) {
            while (it.hasNext()) {
                TrainingSequence s = it.next();
                out.computeIfAbsent(s.userId(), u -> new ArrayList<>()).add(describe(s));
            }
        }
        return out;
    }

    private static String describe(TrainingSequence s) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("items", Arrays.toString(s.items()));
        fields.put("actions", Arrays.toString(s.actions()));
        fields.put("ts", Arrays.toString(s.timestampsMs()));
        fields.put("firstTarget", s.firstTarget());
        return new TreeMap<>(fields).toString();
    }
}
