package dev.hstu.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.jobs.LocalFlinkCluster;
import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.demo.RatingsLog;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.TopicReader;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.sink.JsonCodec;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records far larger than a dead letter may be, through the real parse path and the real Kafka dead-letter sink on
 * an embedded broker: 300,000 bytes of 0x01 (valid UTF-8 that JSON escapes sixfold) and 800,000 random bytes
 * (Base64 in a whole copy). Each becomes one dead letter below {@code kafka.deadLetterMaxBytes}, with the original
 * size and hash, and the bounded training job finishes instead of restarting on a record the producer refuses.
 */
class OversizedDeadLetterIT {

    @TempDir
    Path work;

    @Test
    void oversizedRecordsBecomeBoundedDeadLettersAndTheJobFinishes() throws Exception {
        byte[] controlBytes = new byte[300_000];
        Arrays.fill(controlBytes, (byte) 1);
        byte[] randomBytes = new byte[800_000];
        new SplittableRandom(7).nextBytes(randomBytes);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Topics.create(kafka.bootstrapServers(), 2, "interactions", "training-batches", "interactions-dlq");
            RatingsLog log = RatingsLog.read(Path.of("..", "data", "ml-latest-small", "ratings.csv"));
            StringBuilder json = new StringBuilder();
            try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "interactions")) {
                for (int i = 0; i < 300; i++) {
                    producer.send(
                            Long.toString(log.users[i]),
                            log.eventJson(i, MovieLensActions.clickAtOrAbove(4.0), json),
                            0);
                    if (i == 100) {
                        producer.send(null, controlBytes, 0);
                    }
                    if (i == 200) {
                        producer.send(null, randomBytes, 0);
                    }
                }
                producer.flush();
            }
            JobConfig config = ConfigLoader.load(
                    Path.of("..", "conf", "local.yaml"),
                    Map.ofEntries(
                            Map.entry("kafka.bootstrapServers", kafka.bootstrapServers()),
                            Map.entry(
                                    "flink.checkpointDir",
                                    work.resolve("checkpoints").toString()),
                            Map.entry("flink.checkpointIntervalMs", "1000"),
                            Map.entry("flink.parallelism", "1"),
                            Map.entry("training.mode", "topic"),
                            Map.entry(
                                    "training.modelDir", work.resolve("models").toString())));

            try (LocalFlinkCluster flink = LocalFlinkCluster.start(config.flink(), 2)) {
                JobID job = flink.submit(TrainingJob.kafkaJob(config, true), "training job with oversized records");
                flink.await(job, Duration.ofMinutes(3));
            }

            List<byte[]> values = new ArrayList<>();
            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "interactions-dlq")) {
                reader.readToEnd(Duration.ofSeconds(30), r -> values.add(r.value()));
            }
            assertThat(values).hasSize(2);
            int limit = config.kafka().deadLetterMaxBytes();
            assertThat(values).allSatisfy(v -> assertThat(v.length).isLessThanOrEqualTo(limit));
            List<JsonNode> letters = new ArrayList<>();
            for (byte[] v : values) {
                letters.add(JsonCodec.MAPPER.readTree(v));
            }
            letters.sort((a, b) -> Long.compare(
                    a.path("source_offset").asLong(), b.path("source_offset").asLong()));
            assertLetter(letters.get(0), controlBytes, "raw");
            assertLetter(letters.get(1), randomBytes, "raw_base64");
        }
    }

    private static void assertLetter(JsonNode letter, byte[] payload, String excerptField) throws Exception {
        assertThat(letter.path("reason").asText()).startsWith("payload too large: " + payload.length + " bytes");
        assertThat(letter.path("payload_bytes").asLong()).isEqualTo(payload.length);
        assertThat(letter.path("payload_sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(payload)));
        assertThat(letter.path("truncated").asBoolean()).isTrue();
        assertThat(letter.path(excerptField).asText()).isNotEmpty();
        assertThat(letter.path("source_topic").asText()).isEqualTo("interactions");
    }
}
