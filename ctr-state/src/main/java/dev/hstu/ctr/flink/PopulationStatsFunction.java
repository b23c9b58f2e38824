package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.PopularityHistogram;
import dev.hstu.ctr.PopulationDelta;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.RunningMoments;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The population aggregator: keyed by side name ({@link #SIDE_KEY}; Flink cannot key by an enum,
 * whose hash code differs between JVMs) and run at parallelism 1, it merges the counting
 * subtasks' {@link PopulationDelta}s into the moments of all keys' rates and the popularity
 * histogram, and emits a {@link PopulationSnapshot} (fitted prior, standardisation, bucket
 * thresholds) after each delta. The jobs broadcast the output to their CTR channels function.
 *
 * <p>The histogram lives in RocksDB map state and, because quantiles need an ordered scan of it for
 * every snapshot, also in a heap mirror per side that is rebuilt from the map state after a
 * restore.
 */
public final class PopulationStatsFunction extends KeyedProcessFunction<String, PopulationDelta, PopulationSnapshot> {
    private static final long serialVersionUID = 1L;
    /** The key selector of the aggregator's input. */
    public static final KeySelector<PopulationDelta, String> SIDE_KEY =
            delta -> delta.side().name();

    private final CtrConfig config;

    private transient ValueState<PopulationTotals> totals;
    private transient MapState<Long, Long> bins;
    private transient Map<CtrSide, PopularityHistogram> histograms;

    /** Aggregator for a configuration. */
    public PopulationStatsFunction(CtrConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        totals = getRuntimeContext().getState(CtrStateDescriptors.populationTotals(config));
        bins = getRuntimeContext().getMapState(CtrStateDescriptors.popularityBins(config));
        histograms = new EnumMap<>(CtrSide.class);
    }

    @Override
    public void processElement(PopulationDelta delta, Context ctx, Collector<PopulationSnapshot> out) throws Exception {
        CtrSide side = delta.side();
        PopulationTotals current = totals.value();
        if (current == null) {
            current = PopulationTotals.initial();
        }
        RunningMoments rates = delta.applyTo(current.rates());
        PopularityHistogram histogram = histogram(side);
        delta.applyTo(histogram);
        for (long bin : delta.bins()) {
            Long keys = histogram.bins().get(bin);
            if (keys == null) {
                bins.remove(bin);
            } else {
                bins.put(bin, keys);
            }
        }
        PopulationTotals updated = new PopulationTotals(current.version() + 1, rates);
        totals.update(updated);
        out.collect(PopulationSnapshot.of(side, updated.version(), rates, histogram, config));
    }

    private PopularityHistogram histogram(CtrSide side) throws Exception {
        PopularityHistogram histogram = histograms.get(side);
        if (histogram == null) {
            histogram = new PopularityHistogram();
            for (Map.Entry<Long, Long> e : bins.entries()) {
                histogram.add(e.getKey(), e.getValue());
            }
            histograms.put(side, histogram);
        }
        return histogram;
    }
}
