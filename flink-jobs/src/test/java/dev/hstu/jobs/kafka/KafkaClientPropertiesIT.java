package dev.hstu.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.config.KafkaSettings;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.train.StandaloneTrainer;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.KafkaSinks;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka.properties} reaches every Kafka client the project builds. The properties ask for SASL without a
 * JAAS login, which every Kafka client refuses as it starts, so each client kind failing with that refusal shows
 * the settings got to it: the producer, reader and admin client of the commands, the standalone trainer's
 * consumer, and the Flink source and sink of the jobs, against a real broker that works for clients without them.
 */
class KafkaClientPropertiesIT {

    private static final String NO_JAAS = "JAAS";
    private static EmbeddedKafka kafka;

    @TempDir
    Path models;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        Topics.create(kafka.bootstrapServers(), 1, "interactions", "training-batches", "interactions-dlq");
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private JobConfig config(boolean sasl) {
        return ConfigLoader.load(
                Path.of("..", "conf", "local.yaml"),
                sasl
                        ? Map.of(
                                "kafka.bootstrapServers",
                                kafka.bootstrapServers(),
                                // as on the command line: --set kafka.properties.KEY=VALUE, KEY keeping its dots
                                "kafka.properties.security.protocol",
                                "SASL_PLAINTEXT",
                                "kafka.properties.sasl.mechanism",
                                "PLAIN",
                                "training.modelDir",
                                models.toString())
                        : Map.of(
                                "kafka.bootstrapServers", kafka.bootstrapServers(),
                                "training.modelDir", models.toString()));
    }

    @Test
    void theCommandsClientsAndTheStandaloneTrainerTakeThem() {
        KafkaSettings plain = config(false).kafka();
        try (EventProducer producer = new EventProducer(plain, "interactions")) {
            producer.send(null, "{}".getBytes(), 0);
            producer.flush();
        }
        Topics.create(plain, 1, "interactions");

        KafkaSettings sasl = config(true).kafka();
        assertThat(sasl.properties()).containsEntry("security.protocol", "SASL_PLAINTEXT");
        assertThatThrownBy(() -> new EventProducer(sasl, "interactions").close())
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e)).contains(NO_JAAS));
        assertThatThrownBy(() -> new TopicReader(sasl, "interactions").close())
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e)).contains(NO_JAAS));
        assertThatThrownBy(() -> Topics.create(sasl, 1, "other"))
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e)).contains(NO_JAAS));
        assertThatThrownBy(() -> new StandaloneTrainer(config(true)).close())
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e)).contains(NO_JAAS));
    }

    @Test
    void theJobsSourcesAndSinksTakeThem() {
        KafkaSettings sasl = config(true).kafka();
        StreamExecutionEnvironment sourceJob = environment();
        sourceJob
                .fromSource(
                        KafkaSources.interactions(sasl, "properties-test", true),
                        WatermarkStrategy.<RawRecord>noWatermarks(),
                        "Interactions")
                .sinkTo(new DiscardingSink<>());
        assertThatThrownBy(() -> sourceJob.execute("source with kafka.properties"))
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e)).contains(NO_JAAS));

        StreamExecutionEnvironment sinkJob = environment();
        sinkJob.fromData(DeadLetter.of("r", new byte[] {1}, "t", 0, 0L, 0L))
                .sinkTo(KafkaSinks.json(
                        sasl.bootstrapServers(),
                        sasl.properties(),
                        sasl.deadLetterTopic(),
                        DeadLetter.class,
                        null,
                        DeliveryGuarantee.AT_LEAST_ONCE,
                        "properties-test"));
        assertThatThrownBy(() -> sinkJob.execute("sink with kafka.properties"))
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e)).contains(NO_JAAS));
    }

    /**
     * kafka.transactionTimeoutMs reaches the transactional producers of the exactly-once sinks: a timeout above
     * the broker's transaction.max.timeout.ms (15 min by default) is refused by the broker as they start.
     */
    @Test
    void theTransactionTimeoutReachesTheExactlyOnceSinks() {
        KafkaSettings kafkaSettings = ConfigLoader.load(
                        Path.of("..", "conf", "local.yaml"),
                        Map.of(
                                "kafka.bootstrapServers",
                                kafka.bootstrapServers(),
                                "kafka.transactionTimeoutMs",
                                "1000000"))
                .kafka();
        StreamExecutionEnvironment job = environment();
        job.enableCheckpointing(1000);
        job.fromData(DeadLetter.of("r", new byte[] {1}, "t", 0, 0L, 0L))
                .sinkTo(KafkaSinks.json(
                        kafkaSettings.bootstrapServers(),
                        kafkaSettings.sinkProperties(),
                        kafkaSettings.deadLetterTopic(),
                        DeadLetter.class,
                        null,
                        DeliveryGuarantee.EXACTLY_ONCE,
                        kafkaSettings.transactionalIdPrefix() + "-timeout-test"));
        assertThatThrownBy(() -> job.execute("sink with a transaction timeout above the broker's maximum"))
                .satisfies(
                        e -> assertThat(ExceptionUtils.stringifyException(e)).contains("transaction.max.timeout.ms"));
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        return env;
    }
}
