package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.MovieLensRatings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * MovieLens ratings in time order, shuffled within consecutive blocks: a realistic stream with
 * bounded disorder, and the bound itself.
 *
 * @param events the events in arrival order
 * @param maxDisorderMs the largest amount by which an event is behind an earlier one
 */
record OutOfOrderEvents(List<CtrEvent> events, long maxDisorderMs) {

    /** The first {@code count} ratings by time (all when count is larger), shuffled in blocks. */
    static OutOfOrderEvents ofMovieLens(int count, int blockSize, long seed) {
        List<CtrEvent> byTime = new ArrayList<>(MovieLensRatings.events());
        byTime.sort(Comparator.comparingLong(CtrEvent::timestampMs));
        List<CtrEvent> events = new ArrayList<>(byTime.subList(0, Math.min(count, byTime.size())));
        Random random = new Random(seed);
        for (int start = 0; start < events.size(); start += blockSize) {
            Collections.shuffle(events.subList(start, Math.min(events.size(), start + blockSize)), random);
        }
        long maxSeen = Long.MIN_VALUE;
        long disorder = 0;
        for (CtrEvent e : events) {
            maxSeen = Math.max(maxSeen, e.timestampMs());
            disorder = Math.max(disorder, maxSeen - e.timestampMs());
        }
        return new OutOfOrderEvents(List.copyOf(events), disorder);
    }
}
