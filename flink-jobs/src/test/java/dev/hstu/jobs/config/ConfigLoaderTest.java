package dev.hstu.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final Path CONF = Path.of("..", "conf");

    @Test
    void everyShippedConfigurationLoadsAndValidates() {
        for (String name : new String[] {"local.yaml", "docker.yaml", "cluster.yaml"}) {
            JobConfig config = ConfigLoader.load(CONF.resolve(name), Map.of());
            assertThat(config.kafka().interactionsTopic()).as(name).isEqualTo("interactions");
        }
        JobConfig local = ConfigLoader.load(CONF.resolve("local.yaml"), Map.of());
        assertThat(local.kafka().embedded()).isTrue();
        assertThat(local.flink().stateBackend()).isEqualTo("rocksdb");
        assertThat(local.sequence().maxLength()).isEqualTo(50);
    }

    @Test
    void overridesFromTheCommandLineKeepTheirTypes() {
        JobConfig config = ConfigLoader.load(
                CONF.resolve("local.yaml"),
                Map.of(
                        "sequence.maxLength",
                        "20",
                        "kafka.bootstrapServers",
                        "broker:9092",
                        "serving.excludeSeen",
                        "false"));

        assertThat(config.sequence().maxLength()).isEqualTo(20);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.serving().excludeSeen()).isFalse();
    }

    @Test
    void anEmptyConfigurationMeansEveryDefault() {
        assertThat(ConfigLoader.fromYaml("", Map.of()))
                .isEqualTo(JobConfig.defaults().validate());
    }

    @Test
    void aTypoIsAnErrorNamingTheKeyNotASilentDefault() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("sequence:\n  maxLenght: 10\n", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLenght");
    }

    @Test
    void everyInvalidValueIsReportedAtOnce() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "flink:\n  parallelism: 0\nserving:\n  topK: 0\nkafka:\n  deliveryGuarantee: maybe\n",
                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flink.parallelism must be > 0, got 0")
                .hasMessageContaining("serving.topK must be in [1, 1000], got 0")
                .hasMessageContaining("unknown delivery guarantee 'maybe'");
    }

    @Test
    void actionBitsBeyondTheModelsActionSpaceAreReportedWithTheOtherProblems() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("validation:\n  actionBits: 5\nserving:\n  topK: 0\n", Map.of()))
                .hasMessageContaining("validation.actionBits (5) accepts actions up to 31, but"
                        + " model.features.actions.numActions (16) covers only [0, 15]")
                .hasMessageContaining("serving.topK must be in [1, 1000], got 0");
        assertThat(ConfigLoader.fromYaml(
                                "validation:\n  actionBits: 5\nmodel:\n  features:\n    actions:\n"
                                        + "      numActions: 32\n",
                                Map.of())
                        .validation()
                        .actionBits())
                .isEqualTo(5);
    }

    @Test
    void theTransactionTimeoutMustOutlastACheckpointIntervalAndItsMargin() {
        JobConfig defaults = ConfigLoader.fromYaml("", Map.of());
        assertThat(defaults.kafka().transactionTimeoutMs()).isEqualTo(600_000L);
        assertThat(defaults.kafka().sinkProperties()).containsEntry("transaction.timeout.ms", "600000");
        assertThat(defaults.kafka().transactionalIdPrefix())
                .isEqualTo(defaults.kafka().groupIdPrefix());

        assertThatThrownBy(() -> ConfigLoader.fromYaml("kafka:\n  transactionTimeoutMs: 30000\n", Map.of()))
                .hasMessageContaining("kafka.transactionTimeoutMs (30000) must be at least flink.checkpointIntervalMs"
                        + " (5000) + 60000 ms");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("flink:\n  checkpointIntervalMs: 600000\n", Map.of()))
                .as("a long checkpoint interval needs a longer timeout than the default")
                .hasMessageContaining("kafka.transactionTimeoutMs (600000) must be at least");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "kafka:\n  transactionalIdPrefix: 'two words'\n  transactionTimeoutMs: 0\n", Map.of()))
                .hasMessageContaining("kafka.transactionalIdPrefix may use letters")
                .hasMessageContaining("kafka.transactionTimeoutMs must be > 0, got 0");

        JobConfig second = ConfigLoader.fromYaml("kafka:\n  transactionalIdPrefix: hstu-eu-2\n", Map.of());
        assertThat(second.kafka().transactionalIdPrefix()).isEqualTo("hstu-eu-2");
        assertThat(second.kafka().groupIdPrefix()).isEqualTo("hstu");
    }

    @Test
    void kafkaClientPropertiesAreReadChecked() {
        JobConfig config = ConfigLoader.fromYaml(
                "kafka:\n  properties:\n    security.protocol: SASL_SSL\n    max.request.size: 4194304\n"
                        + "    sasl.mechansim: PLAIN\n  deadLetterMaxBytes: 2097152\n",
                Map.of("kafka.properties.ssl.truststore.location", "/etc/hstu/truststore.p12"));

        assertThat(config.kafka().properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/hstu/truststore.p12");
        assertThat(config.kafka().clientConfig())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "embedded");
        assertThat(config.kafka().unknownProperties())
                .as("a typo is named (and logged), not fatal")
                .containsExactly("sasl.mechansim");
        assertThat(config.kafka().producerMaxRequestSize())
                .as("a larger max.request.size allows larger dead letters")
                .isEqualTo(4194304);

        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "kafka:\n  properties:\n    bootstrap.servers: a:9092\n    isolation.level: read_uncommitted\n",
                        Map.of()))
                .hasMessageContaining(
                        "kafka.properties.bootstrap.servers is set by the project (use kafka.bootstrapServers)")
                .hasMessageContaining("kafka.properties.isolation.level is set by the project");
    }

    @Test
    void aDeadLetterBoundThatTheProducerCannotSendIsRejectedAtStartUp() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("kafka:\n  deadLetterMaxBytes: 1048576\n", Map.of()))
                .hasMessageContaining("kafka.deadLetterMaxBytes (1048576) plus 1024 bytes of record overhead must fit"
                        + " the producer's max.request.size (1048576)");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("kafka:\n  deadLetterMaxBytes: 100\n", Map.of()))
                .hasMessageContaining("kafka.deadLetterMaxBytes must be >= 4096, got 100");
    }

    @Test
    void sequenceLongerThanTheModelAcceptsIsRejected() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "sequence:\n  maxLength: 500\nmodel:\n  encoder:\n    maxSeqLen: 50\n", Map.of()))
                .hasMessageContaining("sequence.maxLength (500) must not exceed model.encoder.maxSeqLen (50)");
    }

    @Test
    void remoteEmbeddingDirectoriesAndMixedPrecisionWithAccumulationAreRejected() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("serving:\n  embeddingsDir: s3://bucket/embeddings\n", Map.of()))
                .hasMessageContaining("serving.embeddingsDir must be a local path, got 's3://bucket/embeddings'");
        assertThat(ConfigLoader.fromYaml("serving:\n  embeddingsDir: file:/tmp/embeddings\n", Map.of())
                        .serving()
                        .embeddingsDir())
                .isEqualTo("file:/tmp/embeddings");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "model:\n  runtime:\n    mixedPrecision: true\n  optimizer:\n    gradientAccumulationSteps: 2\n",
                        Map.of()))
                .hasMessageContaining("model.runtime.mixedPrecision needs optimizer.gradientAccumulationSteps = 1");
    }

    @Test
    void theModelSectionIsNestedByModuleAndAFlatKeyNamesItsNewPlace() {
        JobConfig config = ConfigLoader.fromYaml(
                "model:\n  stu:\n    numLayers: 3\n", Map.of("model.task.rankPackage.counts", "[1, 0, 1, 0, 2]"));
        assertThat(config.model().stu().numLayers()).isEqualTo(3);
        assertThat(config.model().task().rankPackageSize()).isEqualTo(4);
        assertThatThrownBy(() -> ConfigLoader.fromYaml("model:\n  numLayers: 3\n", Map.of()))
                .hasMessageContaining("model.numLayers is now model.stu.numLayers");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("", Map.of("model.embeddingDim", "32")))
                .hasMessageContaining("model.embeddingDim is now model.encoder.embeddingDim");
    }

    @Test
    void ctrChannelsAndTheModelsDenseInputMustAgree() {
        JobConfig on = ConfigLoader.fromYaml(
                "ctr:\n  enabled: true\n  halfLife: 30d\nmodel:\n  features:\n    denseDim: 4\n", Map.of());
        assertThat(on.ctr().channels()).isEqualTo(4);
        assertThat(on.ctrConfig().decay().halfLifeMs()).isEqualTo(30L * 24 * 3600 * 1000);
        assertThat(on.ctrConfig().actionWeights().engagement(0b1011))
                .as("bits allowed by validation.actionBits but not listed count as exposures")
                .isEqualTo(1.0);
        assertThat(on.ctrConfig().actionWeights().engagement(0b0010)).isZero();

        assertThatThrownBy(() -> ConfigLoader.fromYaml("ctr:\n  enabled: true\n", Map.of()))
                .hasMessageContaining(
                        "ctr.enabled attaches 4 CTR channels to every event: set model.features.denseDim=4");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("model:\n  features:\n    denseDim: 4\n", Map.of()))
                .hasMessageContaining("only with ctr.enabled=true");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "ctr:\n  enabled: true\n  actionWeights: \"0=1,5=1\"\n  halfLife: soon\n  populationFlushMs: -1\n"
                                + "model:\n  features:\n    denseDim: 4\n",
                        Map.of()))
                .hasMessageContaining("ctr.populationFlushMs must be >= 0, got -1")
                .hasMessageContaining("ctr.actionWeights names bit 5, but validation.actionBits=4");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("ctr:\n  halfLife: soon\n", Map.of()))
                .hasMessageContaining("ctr.halfLife: 'soon' is not a duration");
    }

    @Test
    void everyMultimodalFeatureOfTheModelNeedsAnExistingFile() {
        JobConfig on = ConfigLoader.fromYaml(
                "",
                Map.of(
                        "model.features.multimodalDims.81",
                        "8",
                        "features.multimodalFiles.81",
                        "../data/ml-latest-small",
                        "features.multimodalFiles.82",
                        "elsewhere"));
        assertThat(on.model().features().multimodalDims()).isEqualTo(Map.of(81, 8));
        assertThat(on.features().multimodalPaths()).containsKeys(81, 82);

        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "",
                        Map.of(
                                "model.features.multimodalDims.81",
                                "8",
                                "model.features.multimodalDims.83",
                                "16",
                                "features.multimodalFiles.81",
                                "nowhere/emb_81_8")))
                .hasMessageContaining("features.multimodalFiles must name a file for every feature of "
                        + "model.features.multimodalDims [81, 83], it has none for [83]")
                .hasMessageContaining("features.multimodalFiles.81: ")
                .hasMessageContaining("nowhere/emb_81_8 does not exist");
    }

    @Test
    void missingFileSaysWhereItLooked() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("nope.yaml"), Map.of()))
                .hasMessageContaining("configuration file not found")
                .hasMessageContaining("nope.yaml");
    }

    /** In topic mode a full micro-batch must fit one producer request, else the job's sink fails on it at run time. */
    @Test
    void aMicroBatchLargerThanTheProducersRequestLimitIsRefusedAtStartUp() {
        String big = "training:\n  mode: topic\n  batchSize: 128\nsequence:\n  maxLength: 1024\n"
                + "model:\n  encoder:\n    maxSeqLen: 1024\n";
        assertThatThrownBy(() -> ConfigLoader.fromYaml(big, Map.of()))
                .hasMessageContaining("training.mode=topic: a micro-batch of training.batchSize (128) sequences of"
                        + " sequence.maxLength (1024) events is up to")
                .hasMessageContaining("more than the producer's max.request.size (1048576)");

        JobConfig raised =
                ConfigLoader.fromYaml(big + "kafka:\n  properties:\n    max.request.size: \"8388608\"\n", Map.of());
        assertThat(raised.kafka().producerMaxRequestSize()).isEqualTo(8_388_608);
        // the same batch in-job never goes through Kafka
        assertThat(ConfigLoader.fromYaml(big.replace("mode: topic", "mode: in-job"), Map.of())
                        .training()
                        .viaTopic())
                .isFalse();
    }
}
