package dev.hstu.jobs.replay;

import dev.hstu.jobs.event.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The bounded replay source: the positions of a {@link ReplayLog}, read in order by one subtask and turned into raw
 * interaction records carrying their event time, with watermarks that follow it. One subtask keeps the whole log in
 * event-time order, so every user's events reach the sequence state in the order the live path would see them from
 * a time-ordered topic keyed by user; reading is far from the bottleneck. The records leave the source routed by
 * their user's partition, so a user's events keep their order on the way to the sequence state at any parallelism.
 */
public final class ReplaySource {

    private ReplaySource() {}

    /** The replayed interactions, as the jobs' Kafka source would deliver them. */
    public static DataStream<RawRecord> of(StreamExecutionEnvironment env, ReplayLog log, double speed) {
        if (log.events() == 0) {
            throw new IllegalArgumentException("nothing to replay: " + log.source() + " holds no valid event");
        }
        return env.fromSource(
                        new NumberSequenceSource(0, log.events() - 1),
                        WatermarkStrategy.noWatermarks(),
                        "Replay " + log.source().getFileName())
                .setParallelism(1)
                .uid("replay-positions")
                .map(new ReplayRecordFunction(log, speed))
                .returns(TypeInformation.of(RawRecord.class))
                .setParallelism(1)
                .name("Replay records")
                .uid("replay-records")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<RawRecord>forMonotonousTimestamps()
                        .withTimestampAssigner((r, ts) -> r.kafkaTimestampMs()))
                .setParallelism(1)
                .name("Event time")
                .uid("replay-event-time")
                .partitionCustom((partition, subtasks) -> partition % subtasks, RawRecord::partition);
    }
}
