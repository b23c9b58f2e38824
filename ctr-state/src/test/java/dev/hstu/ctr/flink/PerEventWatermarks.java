package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrEvent;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded-out-of-orderness watermarks emitted after every event instead of periodically, so that
 * which events are late does not depend on timing and the test can say exactly which are.
 */
final class PerEventWatermarks implements WatermarkGenerator<CtrEvent> {
    private final long boundMs;
    private long maxTimestamp = Long.MIN_VALUE;

    private PerEventWatermarks(long boundMs) {
        this.boundMs = boundMs;
    }

    /** Event-time strategy: timestamp = {@code timestampMs}, watermark = max seen - bound - 1. */
    static WatermarkStrategy<CtrEvent> strategy(long boundMs) {
        return WatermarkStrategy.<CtrEvent>forGenerator(ctx -> new PerEventWatermarks(boundMs))
                .withTimestampAssigner((event, previous) -> event.timestampMs());
    }

    @Override
    public void onEvent(CtrEvent event, long timestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        output.emitWatermark(new Watermark(maxTimestamp - boundMs - 1));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
}
