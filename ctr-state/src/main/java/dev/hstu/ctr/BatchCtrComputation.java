package dev.hstu.ctr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The offline precompute over a whole event log: folds every valid event into per-key decayed
 * counts for users and items, then fits each side's population from the final counts. Invalid
 * events are returned with their reason, never folded. There is no lateness offline: the log is
 * complete. One instance accumulates one log: {@link #accept} event by event (logs larger than
 * memory as a list), or {@link #compute} for a whole collection; {@link #result} at the end.
 */
public final class BatchCtrComputation {
    private final CtrConfig config;
    private final CtrEventValidator validator;
    private final Map<Long, DecayedCounts> users = new HashMap<>();
    private final Map<Long, DecayedCounts> items = new HashMap<>();
    private final List<RejectedCtrEvent> rejected = new ArrayList<>();
    private long folded;

    /** Precompute for a configuration. */
    public BatchCtrComputation(CtrConfig config) {
        this.config = config;
        this.validator = new CtrEventValidator(config);
    }

    /** Result of a run. */
    public record Result(CtrTables users, CtrTables items, long foldedEvents, List<RejectedCtrEvent> rejected) {
        /** The tables of one side. */
        public CtrTables side(CtrSide side) {
            return side == CtrSide.USER ? users : items;
        }
    }

    /** Folds the events in the given order (the result does not depend on the order). */
    public Result compute(Iterable<CtrEvent> events) {
        for (CtrEvent e : events) {
            accept(e);
        }
        return result();
    }

    /**
     * Folds one event, or records it as rejected.
     *
     * @return the rejection, or empty when the event was folded
     */
    public Optional<RejectedCtrEvent> accept(CtrEvent event) {
        Optional<RejectedCtrEvent> reject = validator.check(event);
        if (reject.isPresent()) {
            rejected.add(reject.get());
            return reject;
        }
        double engagement = config.actionWeights().engagement(event.action());
        fold(users, event.userId(), event.timestampMs(), engagement);
        fold(items, event.itemId(), event.timestampMs(), engagement);
        folded++;
        return Optional.empty();
    }

    /** Tables of everything folded so far. */
    public Result result() {
        return new Result(
                CtrTables.of(CtrSide.USER, users, folded, config),
                CtrTables.of(CtrSide.ITEM, items, folded, config),
                folded,
                List.copyOf(rejected));
    }

    private void fold(Map<Long, DecayedCounts> counts, long key, long ts, double engagement) {
        DecayedCounts previous = counts.get(key);
        counts.put(
                key,
                previous == null ? DecayedCounts.first(ts, engagement) : previous.plus(ts, engagement, config.decay()));
    }
}
