package dev.hstu.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.jobs.demo.PrequentialEvaluation.Event;
import dev.hstu.sink.Recommendation;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrequentialEvaluationTest {

    private static Recommendation list(long user, long emittedAtMs, long... items) {
        return new Recommendation(user, items, new float[items.length], 1, 0, emittedAtMs);
    }

    @Test
    void aHitCountsOnlyWhenTheListWasEmittedBeforeTheEvent() {
        List<Event> events = List.of(
                new Event(1, 10, 100), // no list yet: uncovered miss
                new Event(1, 11, 200), // list at 150 holds 11: hit
                new Event(2, 20, 300), // user 2's list at 300 is not before the event: uncovered miss
                new Event(1, 12, 400), // newest list before 400 is the one at 350, without 12: miss
                new Event(2, 21, 500)); // list at 300 holds 21: hit
        List<Recommendation> lists = List.of(
                list(1, 350, 13, 14), // newer, lacks 12 although the older one had it
                list(1, 150, 11, 12),
                list(2, 300, 20, 21),
                list(1, 400, 12)); // emitted at the event's own time: too late for it
        PrequentialEvaluation.Result r = PrequentialEvaluation.evaluate(events, lists, 10, 0, 5);

        assertThat(r.events()).isEqualTo(5);
        assertThat(r.hits()).isEqualTo(2);
        assertThat(r.hitRate()).isCloseTo(2 / 5.0, within(1e-12));
        assertThat(r.coverage()).isCloseTo(3 / 5.0, within(1e-12));
        assertThat(r.hitRateCovered()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.windows()).extracting(PrequentialEvaluation.Window::hits).containsExactly(0, 1, 0, 0, 1);
        assertThat(r.windows())
                .extracting(PrequentialEvaluation.Window::covered)
                .containsExactly(0, 1, 0, 1, 1);
    }

    @Test
    void onlyTheTopKOfAListCountsAndTheWarmUpIsLeftOut() {
        List<Event> events = List.of(new Event(1, 5, 10), new Event(1, 6, 20), new Event(1, 7, 30));
        List<Recommendation> lists = List.of(list(1, 1, 5, 9), list(1, 15, 9, 6), list(1, 25, 7, 8));
        PrequentialEvaluation.Result top1 = PrequentialEvaluation.evaluate(events, lists, 1, 1, 3);

        // after the warm-up event: 6 is second in its list (a miss at K=1), 7 first in its own (a hit)
        assertThat(top1.events()).isEqualTo(2);
        assertThat(top1.hits()).isEqualTo(1);
        // the windows cover the two events after the warm-up; the first of three would be empty and is left out
        assertThat(top1.windows())
                .extracting(PrequentialEvaluation.Window::hits)
                .containsExactly(0, 1);
        assertThat(PrequentialEvaluation.evaluate(events, lists, 2, 1, 1).hits())
                .isEqualTo(2);
    }

    @Test
    void mostPopularCountsOnlyEarlierEventsAndSkipsTheUsersOwnItems() {
        // item 7 is the most popular before the last event, but user 1 has it already: the next one, 8, is shown
        List<Event> events = List.of(
                new Event(2, 7, 1), new Event(3, 7, 2), new Event(3, 8, 3), new Event(1, 7, 4), new Event(1, 8, 5));
        PrequentialEvaluation.Result r = PrequentialEvaluation.evaluate(events, List.of(), 1, 0, 1);

        // hits: the second event (7 counted once before it), the fourth (7 still first) and the fifth (8, as 7 is seen)
        assertThat(r.mostPopularHitRate()).isCloseTo(3 / 5.0, within(1e-12));
        assertThat(r.hitRate()).isZero();
        assertThat(r.coverage()).isZero();
    }

    @Test
    void refusesAWarmUpAsLongAsTheStream() {
        List<Event> events = List.of(new Event(1, 5, 10));
        assertThatThrownBy(() -> PrequentialEvaluation.evaluate(events, List.of(), 10, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warmupEvents=1");
    }
}
