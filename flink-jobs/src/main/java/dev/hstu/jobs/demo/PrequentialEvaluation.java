package dev.hstu.jobs.demo;

import dev.hstu.model.eval.MostPopular;
import dev.hstu.sink.Recommendation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test-then-train hit rate of what the serving job emitted: for every streamed event, was its item among the top K
 * of the user's latest list emitted before the event arrived? A list counts for an event only when its wall-clock
 * emission time ({@link Recommendation#emittedAtMs()}, when serving computed it) is strictly earlier than the time
 * the event was handed to Kafka, so it cannot reflect the event, and the newest such list stands for what the user
 * was being shown. An event with no list before it is a miss (and uncovered): the figure is what the stream's users
 * got, model start-up included.
 *
 * <p>Beside it, the same events against a most-popular list of the items counted in the events that arrived before
 * (re-ranked every {@code events / 200} events), minus the user's own earlier items: a reference computed here, not
 * emitted by anything.
 */
public final class PrequentialEvaluation {

    /** How many most-popular re-rankings a run gets at most: enough to follow the stream, cheap to compute. */
    private static final int POPULARITY_REFRESHES = 200;

    /**
     * One streamed event as the producer sent it.
     *
     * @param sentAtMs wall-clock time it was handed to Kafka, on the clock serving stamps its lists with
     */
    public record Event(long userId, long itemId, long sentAtMs) {}

    /**
     * Events {@code [fromEvent, toEvent)} of the stream.
     *
     * @param covered events with a list emitted before them
     * @param hitRate hits over all events of the window
     * @param mostPopularHitRate the reference on the same events
     */
    public record Window(
            int fromEvent,
            int toEvent,
            long firstSentAtMs,
            int covered,
            int hits,
            double hitRate,
            double coverage,
            double mostPopularHitRate) {}

    /**
     * @param k list length evaluated
     * @param warmupEvents events at the start left out of the figures
     * @param events events after the warm-up
     * @param hitRate share of them whose item was in the list emitted before
     * @param coverage share of them that had such a list
     * @param hitRateCovered hits over covered events only
     * @param windows the events after the warm-up in equal runs
     */
    public record Result(
            int k,
            int warmupEvents,
            int events,
            int hits,
            double hitRate,
            double coverage,
            double hitRateCovered,
            double mostPopularHitRate,
            List<Window> windows) {}

    private PrequentialEvaluation() {}

    /**
     * @param events the streamed events in the order they were sent
     * @param lists every list serving emitted, in any order
     * @param k top K of each list that counts
     * @param warmupEvents leading events left out of the figures, in {@code [0, events.size())}: they still count
     *     for most-popular and as the users' history
     * @param windows number of windows the events after the warm-up are cut into, at least 1
     */
    public static Result evaluate(
            List<Event> events, Collection<Recommendation> lists, int k, int warmupEvents, int windows) {
        if (k < 1 || windows < 1 || warmupEvents < 0 || warmupEvents >= Math.max(1, events.size())) {
            throw new IllegalArgumentException("need k >= 1, windows >= 1 and 0 <= warmupEvents < events, got k=" + k
                    + ", windows=" + windows + ", warmupEvents=" + warmupEvents + " of " + events.size());
        }
        Map<Long, List<Recommendation>> byUser = new HashMap<>();
        for (Recommendation r : lists) {
            byUser.computeIfAbsent(r.userId(), u -> new ArrayList<>()).add(r);
        }
        // A stable sort: lists computed in the same millisecond keep the order they were read in.
        byUser.values().forEach(l -> l.sort(Comparator.comparingLong(Recommendation::emittedAtMs)));
        Map<Long, Integer> next = new HashMap<>();
        Map<Long, Set<Long>> seen = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        long[] popular = new long[0];
        int refreshEvery = Math.max(1, events.size() / POPULARITY_REFRESHES);

        int n = events.size();
        boolean[] hit = new boolean[n];
        boolean[] covered = new boolean[n];
        boolean[] popularHit = new boolean[n];
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            if (i % refreshEvery == 0) {
                popular = MostPopular.ranking(counts);
            }
            Recommendation shown = latestBefore(byUser.get(e.userId()), next, e);
            Set<Long> history = seen.computeIfAbsent(e.userId(), u -> new HashSet<>());
            covered[i] = shown != null;
            hit[i] = shown != null && inTopK(shown.items(), e.itemId(), k);
            popularHit[i] = inTopK(MostPopular.topK(popular, history, k), e.itemId(), k);
            history.add(e.itemId());
            counts.merge(e.itemId(), 1, Integer::sum);
        }

        List<Window> cut = new ArrayList<>();
        int span = n - warmupEvents;
        for (int w = 0; w < windows; w++) {
            int from = warmupEvents + (int) ((long) span * w / windows);
            int to = warmupEvents + (int) ((long) span * (w + 1) / windows);
            if (to > from) {
                Tally t = tally(hit, covered, popularHit, from, to);
                cut.add(new Window(
                        from,
                        to,
                        events.get(from).sentAtMs(),
                        t.covered,
                        t.hits,
                        t.hits / (double) (to - from),
                        t.covered / (double) (to - from),
                        t.popularHits / (double) (to - from)));
            }
        }
        Tally all = tally(hit, covered, popularHit, warmupEvents, n);
        int counted = n - warmupEvents;
        return new Result(
                k,
                warmupEvents,
                counted,
                all.hits,
                ratio(all.hits, counted),
                ratio(all.covered, counted),
                ratio(all.hits, all.covered),
                ratio(all.popularHits, counted),
                List.copyOf(cut));
    }

    /** The newest of the user's lists (sorted by emission) emitted strictly before {@code e} was sent. */
    private static Recommendation latestBefore(List<Recommendation> lists, Map<Long, Integer> next, Event e) {
        if (lists == null) {
            return null;
        }
        // The user's events come in send order, so the pointer only moves forward.
        int j = next.getOrDefault(e.userId(), 0);
        while (j < lists.size() && lists.get(j).emittedAtMs() < e.sentAtMs()) {
            j++;
        }
        next.put(e.userId(), j);
        return j == 0 ? null : lists.get(j - 1);
    }

    private static boolean inTopK(long[] items, long item, int k) {
        for (int i = 0; i < Math.min(k, items.length); i++) {
            if (items[i] == item) {
                return true;
            }
        }
        return false;
    }

    private record Tally(int hits, int covered, int popularHits) {}

    private static Tally tally(boolean[] hit, boolean[] covered, boolean[] popularHit, int from, int to) {
        int h = 0;
        int c = 0;
        int p = 0;
        for (int i = from; i < to; i++) {
            h += hit[i] ? 1 : 0;
            c += covered[i] ? 1 : 0;
            p += popularHit[i] ? 1 : 0;
        }
        return new Tally(h, c, p);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : a / (double) b;
    }
}
