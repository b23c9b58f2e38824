package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrEventValidator;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.RejectedCtrEvent;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps one side's per-key decayed counts in keyed state (RocksDB in production) and emits a
 * {@link CtrCountsUpdate} per folded event. Keyed by user id or item id ({@link
 * CtrEventKeySelector}).
 *
 * <p>Side outputs: {@link CtrOutputTags#REJECTED} for events that must not be folded (checked
 * again here so the function is safe without {@link CtrEventGate}), and {@link
 * CtrOutputTags#POPULATION_DELTAS} for the population aggregator. Population changes (old rate
 * out, new rate in, popularity bin moves) are accumulated per subtask and flushed when the
 * watermark passes the next multiple of {@link CtrConfig#populationFlushInterval()}, and at the end
 * of input (the final watermark fires every timer). The pending changes are operator state, so they
 * are snapshotted together with the keyed counts and a restore neither loses nor repeats any.
 */
public final class CtrCountsFunction extends KeyedProcessFunction<Long, CtrEvent, CtrCountsUpdate>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final CtrSide side;
    private final KeyCounts counts;
    private final CtrEventValidator validator;
    private final long flushIntervalMs;

    private transient boolean flushTimerSet;

    /** Counting function for one side. */
    public CtrCountsFunction(CtrSide side, CtrConfig config) {
        this.side = side;
        this.counts = new KeyCounts(side, config);
        this.validator = new CtrEventValidator(config);
        this.flushIntervalMs = config.populationFlushInterval().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        counts.open(getRuntimeContext());
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
    public void processElement(CtrEvent event, Context ctx, Collector<CtrCountsUpdate> out) throws Exception {
        Optional<RejectedCtrEvent> reject =
                validator.check(event, ctx.timerService().currentWatermark());
        if (reject.isPresent()) {
            ctx.output(CtrOutputTags.REJECTED, reject.get());
            return;
        }
        out.collect(new CtrCountsUpdate(side, ctx.getCurrentKey(), counts.fold(event)));
        if (flushIntervalMs == 0) {
            ctx.output(CtrOutputTags.POPULATION_DELTAS, counts.drain());
        } else if (!flushTimerSet) {
            long after = Math.max(event.timestampMs(), ctx.timerService().currentWatermark());
            ctx.timerService().registerEventTimeTimer((after / flushIntervalMs + 1) * flushIntervalMs);
            flushTimerSet = true;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CtrCountsUpdate> out) {
        // Any timer of this function is a flush timer; one registered under whichever key came first.
        if (counts.hasPending()) {
            ctx.output(CtrOutputTags.POPULATION_DELTAS, counts.drain());
        }
        flushTimerSet = false;
    }
}
