package dev.hstu.model.eval;

import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;

/** Small hand-made user sequences for the evaluation tests. */
final class EvalFixtures {

    private EvalFixtures() {}

    /**
     * User 10: items 100..104 (rows 2..6) at t=1..5; user 20: items 104, 105 (rows 6, 7); user 30:
     * items 100, 105, 101 (rows 2, 7, 3).
     */
    static UserSequences threeUsers() {
        UserSequences.Collector events = new UserSequences.Collector();
        for (int i = 0; i < 5; i++) {
            events.add(10, 100 + i, 1, 1 + i);
        }
        events.add(20, 105, 1, 20);
        events.add(20, 104, 1, 10);
        events.add(30, 100, 1, 1);
        events.add(30, 105, 1, 2);
        events.add(30, 101, 1, 3);
        ItemVocabulary vocabulary = new ItemVocabulary(100);
        return events.build(vocabulary, vocabulary::indexOrAssign);
    }
}
