package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrFeature;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationSnapshot;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns count updates into {@link CtrFeature}s with the latest population snapshot of their side,
 * which reaches every subtask as broadcast state. Features are as of the key's latest event; a
 * consumer that needs them at a later time decays the counts with {@link DecayedCounts#at}. Until
 * the first snapshot of a side arrives, the empty population is used (auto prior: m = 0.5, k =
 * kMin; z = 0; bucket 0), and the feature says so with populationVersion 0.
 */
public final class CtrFeatureFunction
        extends BroadcastProcessFunction<CtrCountsUpdate, PopulationSnapshot, CtrFeature> {
    private static final long serialVersionUID = 1L;
    private final CtrConfig config;
    private transient Map<CtrSide, PopulationSnapshot> emptyPopulations;

    /** Feature function for a configuration. */
    public CtrFeatureFunction(CtrConfig config) {
        this.config = config;
    }

    @Override
    public void processElement(CtrCountsUpdate update, ReadOnlyContext ctx, Collector<CtrFeature> out)
            throws Exception {
        PopulationSnapshot population =
                ctx.getBroadcastState(CtrStateDescriptors.POPULATION_SNAPSHOTS).get(update.side());
        if (population == null) {
            population = emptyPopulation(update.side());
        }
        DecayedCounts counts = update.counts();
        out.collect(CtrFeature.of(update.side(), update.key(), counts, population, counts.anchorMs(), config.decay()));
    }

    @Override
    public void processBroadcastElement(PopulationSnapshot snapshot, Context ctx, Collector<CtrFeature> out)
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
