package dev.hstu.ctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.ctr.CtrConfig;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.junit.jupiter.api.Test;

class CtrStateDescriptorsTest {

    @Test
    void everyKeyedStateExpiresAfterTheConfiguredTtl() {
        CtrConfig config = CtrConfig.defaults().withStateTtl(Duration.ofDays(90));
        List<StateDescriptor<?, ?>> keyed = List.of(
                CtrStateDescriptors.keyCounts(config),
                CtrStateDescriptors.populationTotals(config),
                CtrStateDescriptors.popularityBins(config));
        for (StateDescriptor<?, ?> d : keyed) {
            StateTtlConfig ttl = d.getTtlConfig();
            assertThat(ttl.isEnabled()).as(d.getName()).isTrue();
            assertThat(ttl.getTimeToLive()).isEqualTo(Duration.ofDays(90));
            assertThat(ttl.getStateVisibility()).isEqualTo(StateTtlConfig.StateVisibility.NeverReturnExpired);
        }
    }
}
