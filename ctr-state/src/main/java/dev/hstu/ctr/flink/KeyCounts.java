package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationDelta;
import dev.hstu.ctr.PopulationDeltaAccumulator;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * The counting every keyed CTR function does, whatever it emits and whenever it flushes: one
 * side's decayed counts per key in keyed state, and the population changes not yet sent to the
 * aggregator in operator state, so that a restore neither loses nor repeats any. A function holds
 * one and calls it from its own {@code open}, {@code initializeState} and {@code snapshotState}.
 */
public final class KeyCounts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CtrSide side;
    private final CtrConfig config;
    private transient ValueState<DecayedCounts> counts;
    private transient ListState<PopulationDelta> pendingState;
    private transient PopulationDeltaAccumulator pending;

    /** Counting of one side. */
    public KeyCounts(CtrSide side, CtrConfig config) {
        this.side = side;
        this.config = config;
    }

    /** Binds the keyed state (from the function's {@code open}). */
    public void open(RuntimeContext context) {
        counts = context.getState(CtrStateDescriptors.keyCounts(config));
    }

    /** Binds and restores the pending population changes (from {@code initializeState}). */
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new PopulationDeltaAccumulator(side, config.decay());
        pendingState = context.getOperatorStateStore().getListState(CtrStateDescriptors.pendingPopulationDeltas());
        for (PopulationDelta restored : pendingState.get()) {
            pending.merge(restored);
        }
    }

    /** Writes the pending changes into the checkpoint (from {@code snapshotState}). */
    public void snapshotState() throws Exception {
        pendingState.update(pending.isEmpty() ? List.of() : List.of(pending.peek()));
    }

    /** The current key's counts; null before its first event. */
    public DecayedCounts current() throws IOException {
        return counts.value();
    }

    /**
     * Folds a valid event into the current key's counts and records the population change.
     *
     * @return the key's counts after the event
     */
    public DecayedCounts fold(CtrEvent event) throws IOException {
        double engagement = config.actionWeights().engagement(event.action());
        DecayedCounts previous = counts.value();
        DecayedCounts next = previous == null
                ? DecayedCounts.first(event.timestampMs(), engagement)
                : previous.plus(event.timestampMs(), engagement, config.decay());
        counts.update(next);
        pending.replace(previous, next);
        return next;
    }

    /** Whether population changes wait to be sent. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The pending population changes, cleared. */
    public PopulationDelta drain() {
        return pending.drain();
    }
}
