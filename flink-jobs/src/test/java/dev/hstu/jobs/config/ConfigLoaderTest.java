package dev.hstu.jobs.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        JobConfig config = ConfigLoader.load(CONF.resolve("local.yaml"),
                Map.of("sequence.maxLength", "20", "kafka.bootstrapServers", "broker:9092", "serving.excludeSeen",
                        "false"));

        assertThat(config.sequence().maxLength()).isEqualTo(20);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.serving().excludeSeen()).isFalse();
    }

    @Test
    void anEmptyConfigurationMeansEveryDefault() {
        assertThat(ConfigLoader.fromYaml("", Map.of())).isEqualTo(JobConfig.defaults().validate());
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
                "flink:\n  parallelism: 0\nserving:\n  topK: 0\nkafka:\n  deliveryGuarantee: maybe\n", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flink.parallelism must be > 0, got 0")
                .hasMessageContaining("serving.topK must be in [1, 1000], got 0")
                .hasMessageContaining("unknown delivery guarantee 'maybe'");
    }

    @Test
    void sequenceLongerThanTheModelAcceptsIsRejected() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("sequence:\n  maxLength: 500\nmodel:\n  maxSeqLen: 50\n",
                Map.of()))
                .hasMessageContaining("sequence.maxLength (500) must not exceed model.maxSeqLen (50)");
    }

    @Test
    void remoteEmbeddingDirectoriesAndMixedPrecisionWithAccumulationAreRejected() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("serving:\n  embeddingsDir: s3://bucket/embeddings\n",
                Map.of()))
                .hasMessageContaining("serving.embeddingsDir must be a local path, got 's3://bucket/embeddings'");
        assertThat(ConfigLoader.fromYaml("serving:\n  embeddingsDir: file:/tmp/embeddings\n", Map.of())
                .serving().embeddingsDir()).isEqualTo("file:/tmp/embeddings");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                "model:\n  mixedPrecision: true\n  gradientAccumulationSteps: 2\n", Map.of()))
                .hasMessageContaining("model.mixedPrecision needs gradientAccumulationSteps = 1");
    }

    @Test
    void missingFileSaysWhereItLooked() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("nope.yaml"), Map.of()))
                .hasMessageContaining("configuration file not found")
                .hasMessageContaining("nope.yaml");
    }
}
