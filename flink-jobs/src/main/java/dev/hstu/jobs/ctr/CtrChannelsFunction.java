package dev.hstu.jobs.ctr;

import dev.hstu.ctr.CtrChannels;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrFeature;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.flink.CtrStateDescriptors;
import dev.hstu.jobs.event.InteractionEvent;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user, after both sides have counted the event: turns the user's and the item's counts into their CTR
 * features with the latest population snapshot of each side (broadcast state), and emits the event carrying them
 * as {@link CtrChannels}. Until a side's first snapshot arrives the empty population is used; a side without counts for the event contributes zeros.
 */
public final class CtrChannelsFunction
        extends KeyedBroadcastProcessFunction<Long, CountedEvent, PopulationSnapshot, InteractionEvent> {

    private static final long serialVersionUID = 1L;

    private final CtrConfig config;
    private transient Map<CtrSide, PopulationSnapshot> emptyPopulations;

    public CtrChannelsFunction(CtrConfig config) {
        this.config = config;
    }

    @Override
    public void processElement(CountedEvent in, ReadOnlyContext ctx, Collector<InteractionEvent> out) throws Exception {
        ReadOnlyBroadcastState<CtrSide, PopulationSnapshot> populations =
                ctx.getBroadcastState(CtrStateDescriptors.POPULATION_SNAPSHOTS);
        CtrFeature user = feature(CtrSide.USER, in.event().userId(), in.userCounts(), populations);
        CtrFeature item = feature(CtrSide.ITEM, in.event().itemId(), in.itemCounts(), populations);
        out.collect(in.event().withFeatures(CtrChannels.of(user, item)));
    }

    private CtrFeature feature(
            CtrSide side,
            long key,
            DecayedCounts counts,
            ReadOnlyBroadcastState<CtrSide, PopulationSnapshot> populations)
            throws Exception {
        if (counts == null) {
            return null;
        }
        PopulationSnapshot population = populations.get(side);
        if (population == null) {
            population = emptyPopulation(side);
        }
        return CtrFeature.of(side, key, counts, population, counts.anchorMs(), config.decay());
    }

    @Override
    public void processBroadcastElement(PopulationSnapshot snapshot, Context ctx, Collector<InteractionEvent> out)
            throws Exception {
        ctx.getBroadcastState(CtrStateDescriptors.POPULATION_SNAPSHOTS).put(snapshot.side(), snapshot);
    }

    private PopulationSnapshot emptyPopulation(CtrSide side) {
        if (emptyPopulations == null) {
            emptyPopulations = new EnumMap<>(CtrSide.class);
        }
        return emptyPopulations.computeIfAbsent(side, s -> PopulationSnapshot.empty(s, config));
    }
}
