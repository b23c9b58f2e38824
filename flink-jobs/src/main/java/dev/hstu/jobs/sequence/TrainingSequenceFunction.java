package dev.hstu.jobs.sequence;

import dev.hstu.jobs.event.InteractionEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by user: keeps the user's last N interactions in RocksDB state and emits a {@link TrainingSequence} every
 * {@code stride} new interactions. At the end of a bounded input (the final watermark) the rest is flushed, so no
 * interaction goes untrained.
 */
public final class TrainingSequenceFunction extends KeyedProcessFunction<Long, InteractionEvent, TrainingSequence> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrainingSequenceFunction.class);
    /** Fires only at the final watermark of a bounded input. */
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private final int maxLength;
    private final int stride;
    private final Duration ttl;
    private transient ValueState<UserSequence> sequences;
    private transient Counter events;
    private transient Counter emitted;

    public TrainingSequenceFunction(int maxLength, int stride, Duration ttl) {
        this.maxLength = maxLength;
        this.stride = stride;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        sequences = getRuntimeContext().getState(SequenceState.descriptor(ttl));
        events = getRuntimeContext().getMetricGroup().counter("sequenceEvents");
        emitted = getRuntimeContext().getMetricGroup().counter("trainingSequences");
    }

    @Override
    public void processElement(InteractionEvent event, Context ctx, Collector<TrainingSequence> out) throws Exception {
        UserSequence sequence = sequences.value();
        if (sequence == null) {
            sequence = new UserSequence();
            ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
        }
        sequence.add(event.itemId(), event.action(), event.timestampMs(), event.features(), maxLength);
        sequence.updateUserFeatures(event.userFeatures());
        events.inc();
        if (sequence.pending >= stride) {
            emit(ctx.getCurrentKey(), sequence, out);
        }
        sequences.update(sequence);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainingSequence> out) throws Exception {
        UserSequence sequence = sequences.value();
        if (sequence != null && sequence.pending > 0) {
            emit(ctx.getCurrentKey(), sequence, out);
            sequences.update(sequence);
        }
    }

    @Override
    public void close() throws Exception {
        LOG.info(
                "User sequences subtask {}: {} events in, {} training sequences out",
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                events.getCount(),
                emitted.getCount());
        super.close();
    }

    private void emit(long userId, UserSequence sequence, Collector<TrainingSequence> out) {
        TrainingSequence training = TrainingSequence.of(userId, sequence);
        // A single-interaction sequence has no target yet; it stays pending until the next interaction arrives.
        if (training != null) {
            out.collect(training);
            emitted.inc();
            sequence.pending = 0;
        }
    }
}
