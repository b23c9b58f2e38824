package dev.hstu.jobs.replay;

import dev.hstu.jobs.event.EventJson;
import dev.hstu.jobs.event.RawRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Turns a record position into the raw interaction record the Kafka path would have carried: the event as the
 * interactions topic's JSON, stamped with its event time, so the replayed events go through the very parsing,
 * validation and state the live path uses.
 *
 * <p>Like a producer keying the topic by user, it puts each record in a partition chosen by its user
 * ({@link #PARTITIONS} of them), and {@link ReplaySource} routes by that partition: every user's events stay on one
 * path, in order, whatever the parallelism after the source.
 *
 * <p>A user's {@code user_feat} object from the log (see {@link ReplayLog#userFeatures()}) rides on the user's first
 * replayed event: the sequence state keeps a user's latest features, so once is enough. After a restart the first
 * event of each user carries them again, which only sets the same features anew.
 *
 * <p>With a {@code speed} above 0 it paces the replay at {@code speed} times real time (1 = as the events happened,
 * 3600 = an hour per second) to rehearse the live path; 0 replays as fast as the job takes them.
 */
public final class ReplayRecordFunction extends RichMapFunction<Long, RawRecord> {

    private static final long serialVersionUID = 1L;
    /** Partitions the replay spreads users over; more than any job's parallelism, so each subtask gets some. */
    public static final int PARTITIONS = 128;

    private final String file;
    private final String userFeaturesFile;
    private final String sourceName;
    private final double speed;
    private transient ReplayLog.Reader reader;
    private transient StringBuilder json;
    private transient long startNanos;
    private transient long firstEventMs;
    private transient boolean started;
    private transient Counter replayed;
    private transient Map<Long, String> pendingUserFeatures;

    public ReplayRecordFunction(ReplayLog log, double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException(
                    "replay speed must be a finite factor >= 0 (0 = as fast as possible), " + "got " + speed);
        }
        this.file = log.file().toAbsolutePath().toString();
        this.userFeaturesFile = log.userFeatures() == null
                ? null
                : log.userFeatures().toAbsolutePath().toString();
        this.sourceName = "replay:" + log.source().getFileName();
        this.speed = speed;
    }

    @Override
    public void open(OpenContext openContext) {
        reader = new ReplayLog.Reader(Path.of(file));
        json = new StringBuilder(128);
        replayed = getRuntimeContext().getMetricGroup().counter("replayedEvents");
        try {
            pendingUserFeatures =
                    userFeaturesFile == null ? new HashMap<>() : ReplayLog.readUserFeatures(Path.of(userFeaturesFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the replay's user features " + userFeaturesFile, e);
        }
    }

    @Override
    public RawRecord map(Long position) throws Exception {
        long i = position;
        long ts = reader.timestampMs(i);
        if (speed > 0) {
            pace(ts);
        }
        long user = reader.user(i);
        EventJson.write(json, user, reader.item(i), reader.action(i), ts);
        String userFeatures = pendingUserFeatures.isEmpty() ? null : pendingUserFeatures.remove(user);
        if (userFeatures != null) {
            // the written object is closed: reopen it for the raw user_feat object from the log
            json.setLength(json.length() - 1);
            json.append(",\"user_feat\":").append(userFeatures).append('}');
        }
        replayed.inc();
        int partition = Math.floorMod(Long.hashCode(user), PARTITIONS);
        return new RawRecord(json.toString().getBytes(StandardCharsets.UTF_8), sourceName, partition, i, ts);
    }

    private void pace(long ts) throws InterruptedException {
        if (!started) {
            started = true;
            startNanos = System.nanoTime();
            firstEventMs = ts;
            return;
        }
        long dueNanos = startNanos + (long) ((ts - firstEventMs) * 1_000_000.0 / speed);
        long wait = dueNanos - System.nanoTime();
        if (wait > 1_000_000) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    @Override
    public void close() throws Exception {
        if (reader != null) {
            reader.close();
        }
        super.close();
    }
}
