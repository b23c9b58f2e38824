package dev.hstu.model.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.data.UserSequences;
import org.junit.jupiter.api.Test;

class FullRankingEvaluatorTest {

    /** Rows 2..7 (columns 0..5). */
    private static final int ITEM_ROWS = 8;

    @Test
    void ranksAgainstAllItemsExcludingHistoryButNeverTheTarget() {
        UserSequences users = EvalFixtures.threeUsers();
        EvalCases test = new LeaveOneOutSplit(users).test();
        try (NDManager manager = NDManager.newBaseManager()) {
            // case 0: history rows 2,3,4,5, target 6; case 1: history 2,7, target 3
            float[] scores = {
                9, 8, 7, 6, 1, 2, // target col 4 scores 1: above it are col 5 (2) and the seen cols 0..3
                5, 3, 9, 3, 3, 9, // target col 1 scores 3: col 2 (9) higher; col 5 seen; tie with col 3/4 (after it)
            };
            RankingScorer fixed = (histories, itemRows) -> manager.create(scores, new Shape(2, 6));
            // a model window of 2 events must not shrink the exclusion to the last 2 items
            long[] excluding = new FullRankingEvaluator(2, true, 8).ranks(test, fixed, ITEM_ROWS, manager);
            assertThat(excluding).containsExactly(2, 2);
            long[] including = new FullRankingEvaluator(10, false, 8).ranks(test, fixed, ITEM_ROWS, manager);
            // case 1 without exclusion: cols 0 (5), 2 (9), 5 (9) are higher
            assertThat(including).containsExactly(6, 4);
        }
    }

    @Test
    void equalScoresCountAgainstTheTargetByRowSoConstantScoresCannotWin() {
        UserSequences users = EvalFixtures.threeUsers();
        EvalCases test = new LeaveOneOutSplit(users).test();
        try (NDManager manager = NDManager.newBaseManager()) {
            RankingScorer constant = (histories, itemRows) -> manager.zeros(new Shape(histories.size(), itemRows - 2));
            long[] ranks = new FullRankingEvaluator(10, false, 1).ranks(test, constant, ITEM_ROWS, manager);
            // target rows 6 and 3 are columns 4 and 1: every lower column ties before them
            assertThat(ranks).containsExactly(5, 2);
        }
    }

    @Test
    void mostPopularCountsOnlyTrainingPartsAndRanksByCount() {
        UserSequences users = EvalFixtures.threeUsers();
        LeaveOneOutSplit split = new LeaveOneOutSplit(users);
        try (NDManager manager = NDManager.newBaseManager()) {
            MostPopular popular = MostPopular.fit(split, ITEM_ROWS, manager);
            // training parts: user 10 rows 2,3,4; user 20 rows 6,7; user 30 row 2
            assertThat(popular.count(2)).isEqualTo(2);
            assertThat(popular.count(5)).isZero(); // user 10's validation target
            assertThat(popular.count(6)).isEqualTo(1);
            MetricsReport report =
                    new FullRankingEvaluator(10, true, 8).evaluate(split.test(), popular, ITEM_ROWS, manager);
            // case 0 (history 2..5 excluded): row 6 (1) is beaten by nobody, ties row 7 (1) and comes first -> rank 1
            // case 1 (history 2,7 excluded): row 3 (1) ties row 4 (1, after it) and row 6 (1, after it) -> rank 1
            assertThat(report.hr10()).isEqualTo(1.0);
            assertThat(report.mrr()).isEqualTo(1.0);
        }
    }
}
