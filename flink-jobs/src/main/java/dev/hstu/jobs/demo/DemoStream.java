package dev.hstu.jobs.demo;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.jobs.config.KafkaSettings;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The demo's events on their way into the interactions topic: each user's ratings but the last in time order, with
 * a few bad records half-way, in two parts: a warm-up part sent at once, and the rest sent at once or spread evenly
 * over a number of seconds (the live part), remembering the wall-clock time each event was sent (for {@link
 * PrequentialEvaluation}).
 *
 * <p>Every record goes to the partition Kafka's default partitioner gives its key (the bad ones, without a key, to
 * partition 0), so where each part will end in the topic is known before it is sent, and a training pass can be
 * bounded there while the records are still being produced ({@link #warmupEnd()}, {@link #end()}).
 */
final class DemoStream {

    /** The schedule is kept to this many milliseconds; the producer batches anyway. */
    private static final long PACE_SLICE_MS = 10;

    private final KafkaSettings kafka;
    private final RatingsLog log;
    private final MovieLensActions actions;
    private final long spreadMs;
    private final int badAt;
    /** First log index of the live part. */
    private final int split;

    private final Map<TopicPartition, Long> warmupEnd;
    private final Map<TopicPartition, Long> end;
    private final int liveRecords;
    private final int badRecords;
    private final int warmupEvents;
    private final List<PrequentialEvaluation.Event> sent = new ArrayList<>();
    private int eventsSent;
    private int badSent;
    private volatile boolean done;

    /**
     * @param spreadSeconds 0: the live part as fast as the producer goes; else it takes about this long
     * @param warmupShare share of the streamed events, oldest first, in the warm-up part, in {@code [0, 1)}
     */
    DemoStream(KafkaSettings kafka, RatingsLog log, MovieLensActions actions, int spreadSeconds, double warmupShare) {
        this.kafka = kafka;
        this.log = log;
        this.actions = actions;
        this.spreadMs = spreadSeconds * 1000L;
        this.badAt = log.size() / 2;
        int streamed = 0;
        for (boolean held : log.heldOut) {
            streamed += held ? 0 : 1;
        }
        int warmup = (int) Math.floor(streamed * warmupShare);
        Map<TopicPartition, Long> ends;
        try (TopicReader reader = new TopicReader(kafka, kafka.interactionsTopic())) {
            ends = new HashMap<>(reader.endOffsets());
        }
        int partitions = ends.size();
        int events = 0;
        int splitAt = log.size();
        Map<TopicPartition, Long> atSplit = null;
        int live = 0;
        int bad = 0;
        for (int i = 0; i < log.size(); i++) {
            if (atSplit == null && events == warmup) {
                atSplit = Map.copyOf(ends);
                splitAt = i;
            }
            int records = 0;
            if (i == badAt) {
                int n = BadRecords.around(log.timestampsMs[i]).size();
                ends.merge(partition(null, partitions), (long) n, Long::sum);
                records += n;
                bad += n;
            }
            if (!log.heldOut[i]) {
                ends.merge(partition(Long.toString(log.users[i]), partitions), 1L, Long::sum);
                records++;
                events++;
            }
            live += atSplit == null ? 0 : records;
        }
        this.split = splitAt;
        this.warmupEnd = atSplit == null ? Map.copyOf(ends) : atSplit;
        this.end = Map.copyOf(ends);
        this.liveRecords = live;
        this.badRecords = bad;
        this.warmupEvents = warmup;
    }

    private TopicPartition partition(String key, int partitions) {
        int p = key == null ? 0 : Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
        return new TopicPartition(kafka.interactionsTopic(), p);
    }

    /** Where each partition of the interactions topic ends once the warm-up part is sent. */
    Map<TopicPartition, Long> warmupEnd() {
        return warmupEnd;
    }

    /** Where each partition ends once the whole stream is sent. */
    Map<TopicPartition, Long> end() {
        return end;
    }

    /** Events in the warm-up part. */
    int warmupEvents() {
        return warmupEvents;
    }

    /** Whether the bad records are in the warm-up part, so a pass over it is the first to meet them. */
    boolean badRecordsInWarmup() {
        return badAt < split;
    }

    /** Deliberately bad records in the stream. */
    int badRecords() {
        return badRecords;
    }

    /** Sends the warm-up part at once; the topic then ends at {@link #warmupEnd()}. */
    int[] produceWarmup() {
        return produce(0, split, false, warmupEnd);
    }

    /**
     * Sends the live part on schedule (all of the stream without a warm-up part); the topic then ends at
     * {@link #end()}.
     *
     * @return {events, bad records} sent in all
     */
    int[] produceLive() {
        int[] counts = produce(split, log.size(), true, end);
        done = true;
        return counts;
    }

    private int[] produce(int from, int to, boolean paced, Map<TopicPartition, Long> expectedEnd) {
        int partitions = end.size();
        long start = System.currentTimeMillis();
        int index = 0;
        try (EventProducer producer = new EventProducer(kafka, kafka.interactionsTopic())) {
            StringBuilder json = new StringBuilder(128);
            for (int i = from; i < to; i++) {
                if (i == badAt) {
                    for (byte[] record : BadRecords.around(log.timestampsMs[i])) {
                        pace(paced, start, index++);
                        producer.send(partition(null, partitions).partition(), null, record, log.timestampsMs[i]);
                        badSent++;
                    }
                }
                if (log.heldOut[i]) {
                    continue;
                }
                pace(paced, start, index++);
                String key = Long.toString(log.users[i]);
                long now = System.currentTimeMillis();
                producer.send(
                        partition(key, partitions).partition(),
                        key,
                        log.eventJson(i, actions, json),
                        log.timestampsMs[i]);
                synchronized (sent) {
                    sent.add(new PrequentialEvaluation.Event(log.users[i], log.items[i], now));
                }
                eventsSent++;
            }
            producer.flush();
        }
        Map<TopicPartition, Long> actual;
        try (TopicReader reader = new TopicReader(kafka, kafka.interactionsTopic())) {
            actual = reader.endOffsets();
        }
        if (!actual.equals(expectedEnd)) {
            throw new IllegalStateException("the interactions topic ends at " + actual + ", not at " + expectedEnd
                    + " as planned: was something else writing to '" + kafka.interactionsTopic() + "'?");
        }
        return new int[] {eventsSent, badSent};
    }

    /** Waits until record {@code index} of the live part is due. */
    private void pace(boolean paced, long start, int index) {
        if (!paced || spreadMs == 0) {
            return;
        }
        long due = start + spreadMs * index / Math.max(1, liveRecords);
        long wait = due - System.currentTimeMillis();
        if (wait >= PACE_SLICE_MS) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while producing the demo's events", e);
            }
        }
    }

    /** Whether every record has been sent and acknowledged. */
    boolean done() {
        return done;
    }

    /** The events sent so far, in the order they were sent. */
    List<PrequentialEvaluation.Event> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }
}
