package dev.hstu.bench.ingest;

import dev.hstu.jobs.sequence.TrainingSequence;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Records how long ago the newest event of each emitted training sequence was due: the event that made the keyed
 * function emit, so the figure is that event's time from offer to emission. Emits nothing.
 */
final class LatencyProbe extends ProcessFunction<TrainingSequence, Void> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(TrainingSequence sequence, Context ctx, Collector<Void> out) {
        long[] ts = sequence.timestampsMs();
        RateProbe.arrived(ts[ts.length - 1], System.currentTimeMillis());
    }
}
