package dev.hstu.ctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrFeature;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationDelta;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.RejectedCtrEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** State and transport records must use Flink's POJO serializer, not a Kryo fallback. */
class FlinkTypesTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                CtrEvent.class,
                CtrFeature.class,
                DecayedCounts.class,
                PopulationDelta.class,
                PopulationSnapshot.class,
                RejectedCtrEvent.class,
                PopulationTotals.class
            })
    void recordIsAFlinkPojo(Class<?> type) {
        assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
    }
}
