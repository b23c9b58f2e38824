package dev.hstu.bench.ingest;

import dev.hstu.jobs.config.ValidationSettings;
import dev.hstu.jobs.event.EventRules;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.event.ParseEventsFunction;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.sequence.TrainingSequenceFunction;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The ingest pipeline of {@link IngestThroughputBenchmark} (parse -> validate -> keyBy(user) -> sequence state ->
 * emission) fed at a fixed offered rate, measuring what rate it achieved, what CPU it spent per event and how long
 * an event took from being due to being emitted.
 */
public final class RatedIngest {

    /**
     * @param offeredPerSecond 0 for an unthrottled source
     * @param achievedPerSecond events over the time the source took to produce them all
     * @param cores process CPU time over that same time (every thread: Flink, RocksDB, GC, JIT)
     * @param samples latency samples (emitted sequences whose newest event was due after the warm-up)
     */
    public record Result(
            double offeredPerSecond,
            long events,
            double achievedPerSecond,
            double cores,
            double cpuMicrosPerEvent,
            long samples,
            long p50Ms,
            long p99Ms,
            long maxMs) {}

    private final int users;
    private final int items;
    private final int maxLength;
    private final String backend;
    private final int parallelism;

    public RatedIngest(int users, int items, int maxLength, String backend, int parallelism) {
        this.users = users;
        this.items = items;
        this.maxLength = maxLength;
        this.backend = backend;
        this.parallelism = parallelism;
    }

    /** Offers {@code ratePerSecond} (0: as fast as it goes) for {@code events} events; blocks until the job ends. */
    public Result run(double ratePerSecond, long events, Duration warmup) throws Exception {
        RateProbe.reset();
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.fromSource(
                        new DataGeneratorSource<>(
                                new PacedEvents(users, items, ratePerSecond, events, warmup.toMillis()),
                                events,
                                TypeInformation.of(RawRecord.class)),
                        WatermarkStrategy.noWatermarks(),
                        "Paced events")
                .setParallelism(1)
                .process(new ParseEventsFunction(EventRules.from(ValidationSettings.defaults())))
                .keyBy(InteractionEvent::userId)
                .process(new TrainingSequenceFunction(maxLength, 8, Duration.ofDays(365)))
                .process(new LatencyProbe())
                .sinkTo(new DiscardingSink<>());
        env.execute("paced ingest " + (ratePerSecond > 0 ? (long) ratePerSecond + "/s" : "unthrottled"));
        double seconds = RateProbe.sourceSeconds();
        return new Result(
                ratePerSecond,
                events,
                RateProbe.generated() / seconds,
                RateProbe.cpuSeconds() / seconds,
                RateProbe.cpuSeconds() * 1e6 / events,
                RateProbe.samples(),
                RateProbe.percentileMs(0.5),
                RateProbe.percentileMs(0.99),
                RateProbe.percentileMs(1.0));
    }
}
