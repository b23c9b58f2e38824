package dev.hstu.jobs.ctr;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrEventValidator;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.RejectedCtrEvent;
import dev.hstu.ctr.flink.CtrOutputTags;
import dev.hstu.ctr.flink.KeyCounts;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by one side's id (user or item): folds each event into that key's decayed counts in RocksDB state and
 * passes the event on with the counts attached, so the features can be computed downstream without a join.
 *
 * <p>It folds every valid event whatever the watermark (the jobs' watermarks follow Kafka time, not event time, and decayed counts
 * do not depend on arrival order) and sends its population changes to the aggregator on processing time, every
 * {@code flushMs} (0: per event), and at the end of a bounded input. Pending changes are operator state, so a
 * restore neither loses nor repeats any. An event the CTR definition refuses (an action bit without a weight, a
 * negative time) goes on unchanged for this side and to {@link CtrOutputTags#REJECTED} with the reason.
 */
public final class EventCountsFunction extends KeyedProcessFunction<Long, CountedEvent, CountedEvent>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    /** Fires only at the final watermark of a bounded input. */
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private final CtrSide side;
    private final KeyCounts counts;
    private final long flushMs;
    private final CtrEventValidator validator;

    private transient boolean flushTimerSet;
    private transient boolean endTimerSet;
    private transient Counter rejected;

    public EventCountsFunction(CtrSide side, CtrConfig config, long flushMs) {
        this.side = side;
        this.counts = new KeyCounts(side, config);
        this.flushMs = flushMs;
        this.validator = new CtrEventValidator(config);
    }

    @Override
    public void open(OpenContext openContext) {
        counts.open(getRuntimeContext());
        rejected = getRuntimeContext().getMetricGroup().counter("ctrRejectedEvents");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        counts.initializeState(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        counts.snapshotState();
    }

    @Override
    public void processElement(CountedEvent in, Context ctx, Collector<CountedEvent> out) throws Exception {
        CtrEvent event = in.ctrEvent();
        Optional<RejectedCtrEvent> reject = validator.check(event);
        if (reject.isPresent()) {
            rejected.inc();
            ctx.output(CtrOutputTags.REJECTED, reject.get());
            out.collect(in.with(side, counts.current()));
            return;
        }
        out.collect(in.with(side, counts.fold(event)));
        scheduleFlush(ctx);
    }

    private void scheduleFlush(Context ctx) {
        if (!endTimerSet) {
            ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            endTimerSet = true;
        }
        if (flushMs == 0) {
            ctx.output(CtrOutputTags.POPULATION_DELTAS, counts.drain());
        } else if (!flushTimerSet) {
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + flushMs);
            flushTimerSet = true;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CountedEvent> out) {
        // Timers were registered under whichever key came first; each one flushes the whole subtask's changes.
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            flushTimerSet = false;
        }
        if (counts.hasPending()) {
            ctx.output(CtrOutputTags.POPULATION_DELTAS, counts.drain());
        }
    }
}
