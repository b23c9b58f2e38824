package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationDelta;
import dev.hstu.ctr.PopulationSnapshot;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Every state of the CTR functions, declared once. Keyed state gets the configured TTL (processing
 * time, refreshed on write, expired values never returned, purged by RocksDB compaction). Operator
 * and broadcast state cannot carry a TTL in Flink; both hold a bounded amount (one pending delta
 * per subtask, one snapshot per side).
 */
public final class CtrStateDescriptors {
    /** Broadcast state of the feature function: the latest population snapshot per side. */
    public static final MapStateDescriptor<CtrSide, PopulationSnapshot> POPULATION_SNAPSHOTS = new MapStateDescriptor<>(
            "ctr-population-snapshots",
            TypeInformation.of(CtrSide.class),
            TypeInformation.of(PopulationSnapshot.class));

    private CtrStateDescriptors() {}

    /** Per key: decayed exposure and click counts. */
    public static ValueStateDescriptor<DecayedCounts> keyCounts(CtrConfig config) {
        return withTtl(new ValueStateDescriptor<>("ctr-key-counts", TypeInformation.of(DecayedCounts.class)), config);
    }

    /** Per side (aggregator): version and moments of the keys' rates. */
    public static ValueStateDescriptor<PopulationTotals> populationTotals(CtrConfig config) {
        return withTtl(
                new ValueStateDescriptor<>("ctr-population-totals", TypeInformation.of(PopulationTotals.class)),
                config);
    }

    /** Per side (aggregator): number of keys per popularity bin. */
    public static MapStateDescriptor<Long, Long> popularityBins(CtrConfig config) {
        return withTtl(new MapStateDescriptor<>("ctr-popularity-bins", Types.LONG, Types.LONG), config);
    }

    /** Operator state of a counting subtask: population changes not yet sent to the aggregator. */
    public static ListStateDescriptor<PopulationDelta> pendingPopulationDeltas() {
        return new ListStateDescriptor<>("ctr-pending-population-deltas", TypeInformation.of(PopulationDelta.class));
    }

    private static <D extends org.apache.flink.api.common.state.StateDescriptor<?, ?>> D withTtl(
            D descriptor, CtrConfig config) {
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(config.stateTtl())
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        return descriptor;
    }
}
