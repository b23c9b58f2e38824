package dev.hstu.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

    @Test
    void everyKeyIsListedWithItsDefaultAndADescription() {
        List<ConfigKeys.Key> keys = ConfigKeys.model();
        assertThat(keys)
                .extracting(ConfigKeys.Key::key)
                .contains(
                        "model.items.capacity",
                        "model.stu.numLayers",
                        "model.features.actions.bitWeights",
                        "model.task.rankPackage",
                        "model.task.rankPackage.counts",
                        "model.optimizer.learningRate",
                        "model.runtime.device")
                .doesNotHaveDuplicates();
        assertThat(keys).allSatisfy(k -> assertThat(k.description()).as(k.key()).isNotBlank());
        assertThat(keys).contains(new ConfigKeys.Key("model.stu.numLayers", "2", "number of stacked layers"));
        assertThat(ConfigKeys.table(keys)).contains("  model.runtime.device=cpu\n      cpu, gpu or gpu:N\n");
    }

    @Test
    void eachListedDefaultReadsBackAsTheDefault() {
        HstuConfig defaults = HstuConfig.defaults();
        for (ConfigKeys.Key k : ConfigKeys.model()) {
            String key = k.key().substring("model.".length());
            HstuConfig set =
                    defaults.withSettings(Map.of(key, k.defaultValue())).validate();
            boolean inOptionalGroup = key.startsWith("features.userFeatures.")
                    || key.startsWith("features.genres.")
                    || key.startsWith("features.releaseYear.")
                    || key.startsWith("features.gating.")
                    || key.startsWith("features.idDropout.")
                    || key.startsWith("task.rankPackage.")
                    || key.startsWith("task.hardNegatives.")
                    || key.startsWith("ranking.")
                    || key.startsWith("match.");
            if (!inOptionalGroup) {
                assertThat(set).as(k.key()).isEqualTo(defaults);
            }
        }
    }
}
