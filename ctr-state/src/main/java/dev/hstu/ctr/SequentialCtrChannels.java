package dev.hstu.ctr;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CTR channels the streaming jobs attach to each event, computed in one pass over a log in
 * event-time order, for offline training and benchmarks that want the same features without a
 * Flink job.
 *
 * <p>Each event is folded into its user's and item's decayed counts first and then carries the
 * channels of those counts, as the jobs' counting functions do: the event's own action is part of
 * its features, which a causal model only reads at later positions. The population (rate moments,
 * Beta prior, popularity bins) is refreshed from the accumulated changes every {@code
 * refreshEvery} events, standing in for the jobs' flush every {@code ctr.populationFlushMs} of
 * processing time; between refreshes events read the last snapshot, as they do in the stream.
 */
public final class SequentialCtrChannels {

    private final CtrConfig config;
    private final CtrEventValidator validator;
    private final int refreshEvery;
    private final Map<CtrSide, Map<Long, DecayedCounts>> counts = new EnumMap<>(CtrSide.class);
    private final Map<CtrSide, PopulationDeltaAccumulator> pending = new EnumMap<>(CtrSide.class);
    private final Map<CtrSide, RunningMoments> rates = new EnumMap<>(CtrSide.class);
    private final Map<CtrSide, PopularityHistogram> popularity = new EnumMap<>(CtrSide.class);
    private final Map<CtrSide, PopulationSnapshot> snapshots = new EnumMap<>(CtrSide.class);
    private long version;
    private long sinceRefresh;

    /**
     * @param config the CTR definition (weights, decay, prior, buckets)
     * @param refreshEvery events between population refreshes ({@code >= 1})
     */
    public SequentialCtrChannels(CtrConfig config, int refreshEvery) {
        if (refreshEvery < 1) {
            throw new IllegalArgumentException("refreshEvery must be >= 1, got " + refreshEvery);
        }
        this.config = config;
        this.validator = new CtrEventValidator(config);
        this.refreshEvery = refreshEvery;
        for (CtrSide side : CtrSide.values()) {
            counts.put(side, new HashMap<>());
            pending.put(side, new PopulationDeltaAccumulator(side, config.decay()));
            rates.put(side, RunningMoments.empty());
            popularity.put(side, new PopularityHistogram());
            snapshots.put(side, PopulationSnapshot.empty(side, config));
        }
    }

    /**
     * Folds the next event of the log (events must come in event-time order) and returns its
     * channels.
     *
     * @param event the event
     * @return its {@link CtrChannels#COUNT} channels, or empty when the CTR definition refuses it
     *     (then nothing is folded; see {@link #rejection})
     */
    public Optional<float[]> next(CtrEvent event) {
        if (validator.check(event).isPresent()) {
            return Optional.empty();
        }
        double engagement = config.actionWeights().engagement(event.action());
        DecayedCounts user = fold(CtrSide.USER, event.userId(), event.timestampMs(), engagement);
        DecayedCounts item = fold(CtrSide.ITEM, event.itemId(), event.timestampMs(), engagement);
        float[] channels = CtrChannels.of(
                feature(CtrSide.USER, event.userId(), user), feature(CtrSide.ITEM, event.itemId(), item));
        if (++sinceRefresh >= refreshEvery) {
            refresh();
        }
        return Optional.of(channels);
    }

    /**
     * @param event an event {@link #next} refused
     * @return why the CTR definition refuses it, if it does
     */
    public Optional<RejectedCtrEvent> rejection(CtrEvent event) {
        return validator.check(event);
    }

    /** Applies every change since the last refresh to the populations events read. */
    public void refresh() {
        version++;
        for (CtrSide side : CtrSide.values()) {
            PopulationDelta delta = pending.get(side).drain();
            RunningMoments updated = delta.applyTo(rates.get(side));
            rates.put(side, updated);
            delta.applyTo(popularity.get(side));
            snapshots.put(side, PopulationSnapshot.of(side, version, updated, popularity.get(side), config));
        }
        sinceRefresh = 0;
    }

    /**
     * @param side a side
     * @return the population events read now
     */
    public PopulationSnapshot population(CtrSide side) {
        return snapshots.get(side);
    }

    private DecayedCounts fold(CtrSide side, long key, long timestampMs, double engagement) {
        Map<Long, DecayedCounts> sideCounts = counts.get(side);
        DecayedCounts previous = sideCounts.get(key);
        DecayedCounts next = previous == null
                ? DecayedCounts.first(timestampMs, engagement)
                : previous.plus(timestampMs, engagement, config.decay());
        sideCounts.put(key, next);
        pending.get(side).replace(previous, next);
        return next;
    }

    private CtrFeature feature(CtrSide side, long key, DecayedCounts keyCounts) {
        return CtrFeature.of(side, key, keyCounts, snapshots.get(side), keyCounts.anchorMs(), config.decay());
    }
}
