package dev.hstu.bench.ingest;

import dev.hstu.jobs.event.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Event {@code i} of a synthetic log as the JSON bytes a producer would send: users uniform, items skewed (the square
 * of a uniform draw, so low ids are popular), time increasing. Deterministic in {@code i}, so every run and every
 * subtask sees the same log.
 */
final class SyntheticEvents implements GeneratorFunction<Long, RawRecord> {

    private static final long serialVersionUID = 1L;
    private static final long START_MS = 1_600_000_000_000L;

    private final int users;
    private final int items;
    private transient StringBuilder json;

    SyntheticEvents(int users, int items) {
        this.users = users;
        this.items = items;
    }

    @Override
    public RawRecord map(Long index) {
        return record(index, START_MS + index * 10);
    }

    /** Event {@code i} stamped with event time {@code ts}, for callers that pace the log in real time. */
    RawRecord record(long i, long ts) {
        long h = mix(i);
        long user = Long.remainderUnsigned(h, users);
        double u = (mix(h) >>> 11) * 0x1.0p-53;
        long item = (long) (u * u * items);
        int action = (h & 7) == 0 ? 1 : 0;
        if (json == null) {
            json = new StringBuilder(96);
        }
        json.setLength(0);
        json.append("{\"user_id\":")
                .append(user)
                .append(",\"item_id\":")
                .append(item)
                .append(",\"action\":")
                .append(action)
                .append(",\"ts\":")
                .append(ts)
                .append('}');
        return new RawRecord(json.toString().getBytes(StandardCharsets.UTF_8), "synthetic", 0, i, ts);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
