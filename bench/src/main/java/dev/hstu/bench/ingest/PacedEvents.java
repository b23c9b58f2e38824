package dev.hstu.bench.ingest;

import dev.hstu.jobs.event.RawRecord;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The synthetic log offered at a fixed rate, open loop: event {@code i} is due at {@code start + i / rate} and
 * carries that due time as its event time, so a pipeline that falls behind shows it as latency instead of quietly
 * slowing the source down. With rate 0 the source runs as fast as the pipeline takes events and each event carries
 * the wall-clock time it was made. Needs a source of parallelism 1 (one split, indices in order).
 */
final class PacedEvents implements GeneratorFunction<Long, RawRecord> {

    private static final long serialVersionUID = 1L;
    /** Sleeping for less than this costs more than it saves; a burst of events that short is fine. */
    private static final long MIN_PARK_NANOS = 1_000_000;

    private final SyntheticEvents events;
    private final double ratePerSecond;
    private final long count;
    private final long warmupMs;
    private transient long startNanos;
    private transient long startMs;

    PacedEvents(int users, int items, double ratePerSecond, long count, long warmupMs) {
        this.events = new SyntheticEvents(users, items);
        this.ratePerSecond = ratePerSecond;
        this.count = count;
        this.warmupMs = warmupMs;
    }

    @Override
    public RawRecord map(Long index) {
        long i = index;
        if (startNanos == 0) {
            startNanos = System.nanoTime();
            startMs = System.currentTimeMillis();
            RateProbe.started(startMs + warmupMs);
        }
        long ts;
        if (ratePerSecond > 0) {
            long due = startNanos + (long) (i * 1e9 / ratePerSecond);
            long ahead = due - System.nanoTime();
            if (ahead > MIN_PARK_NANOS) {
                LockSupport.parkNanos(ahead);
            }
            ts = startMs + (long) (i * 1000 / ratePerSecond);
        } else {
            ts = System.currentTimeMillis();
        }
        RateProbe.generated(i + 1, i == count - 1);
        return events.record(i, ts);
    }
}
