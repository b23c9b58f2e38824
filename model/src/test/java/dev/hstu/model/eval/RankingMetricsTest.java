package dev.hstu.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    @Test
    void matchesHandComputedValues() {
        RankingMetrics m = new RankingMetrics();
        for (long rank : new long[] {1, 3, 11, 60}) {
            m.add(rank);
        }
        MetricsReport r = m.report();
        assertThat(r.users()).isEqualTo(4);
        assertThat(r.hr10()).isEqualTo(0.5);
        // rank 1 -> 1/log2(2) = 1, rank 3 -> 1/log2(4) = 0.5
        assertThat(r.ndcg10()).isCloseTo((1.0 + 0.5) / 4, within(1e-12));
        assertThat(r.hr50()).isEqualTo(0.75);
        assertThat(r.ndcg50()).isCloseTo((1.0 + 0.5 + 1.0 / (Math.log(12) / Math.log(2))) / 4, within(1e-12));
        assertThat(r.mrr()).isCloseTo((1.0 + 1.0 / 3 + 1.0 / 11 + 1.0 / 60) / 4, within(1e-12));
        // one target per case: recall@k is the hit rate (ranks 1, 3, 11, 60)
        assertThat(r.recall1()).isEqualTo(0.25);
        assertThat(r.recall5()).isEqualTo(0.5);
        assertThat(r.recall10()).isEqualTo(r.hr10());
        assertThat(r.recall50()).isEqualTo(r.hr50());
        assertThat(r.summary()).contains("R@1=0.2500 R@5=0.5000 R@10=0.5000 R@50=0.7500");
    }

    @Test
    void recallOfCasesWithSeveralRelevantItemsMatchesHandComputedValues() {
        RankingMetrics m = new RankingMetrics();
        // case A: 3 relevant items at ranks 1, 4, 20
        m.addCase(new long[] {20, 1, 4}, 3);
        // case B: 2 relevant items, one at rank 7, the other not ranked at all
        m.addCase(new long[] {7}, 2);
        MetricsReport r = m.report();
        // recall@1: A 1/3, B 0 -> 1/6; @5: A 2/3, B 0 -> 1/3; @10: A 2/3, B 1/2 -> 7/12; @50: A 1, B 1/2 -> 3/4
        assertThat(r.recall1()).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(r.recall5()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.recall10()).isCloseTo(7.0 / 12, within(1e-12));
        assertThat(r.recall50()).isCloseTo(0.75, within(1e-12));
        // HR@10: both cases have an item within 10
        assertThat(r.hr10()).isEqualTo(1.0);
        // NDCG@10: A (1 + 1/log2 5) / (1 + 1/log2 3 + 1/2); B (1/log2 8) / (1 + 1/log2 3)
        double log3 = Math.log(3) / Math.log(2);
        double a = (1 + 1 / (Math.log(5) / Math.log(2))) / (1 + 1 / log3 + 0.5);
        double b = (1.0 / 3) / (1 + 1 / log3);
        assertThat(r.ndcg10()).isCloseTo((a + b) / 2, within(1e-12));
        // MRR: 1/1 and 1/7
        assertThat(r.mrr()).isCloseTo((1 + 1.0 / 7) / 2, within(1e-12));
        assertThatThrownBy(() -> m.addCase(new long[] {2, 2}, 2)).hasMessageContaining("share rank 2");
        assertThatThrownBy(() -> m.addCase(new long[] {1, 2}, 1)).hasMessageContaining("at most that many ranks");
    }

    @Test
    void listsGiveTheTargetsRankAndMissesCountInTheMean() {
        RankingMetrics m = new RankingMetrics(3);
        m.addList(new long[] {7, 8, 9}, 8); // rank 2
        m.addList(new long[] {7, 8, 9}, 5); // not in the list
        m.addList(null, 5); // no list at all
        m.addList(new long[] {5, 8, 9}, 5); // rank 1
        assertThat(m.count()).isEqualTo(4);
        assertThat(m.hitRate(3)).isEqualTo(0.5);
        assertThat(m.ndcg(3)).isCloseTo((1.0 / (Math.log(3) / Math.log(2)) + 1.0) / 4, within(1e-12));
        assertThatThrownBy(() -> m.ndcg(10)).hasMessageContaining("no cut-off 10");
    }

    @Test
    void rankBelowOneIsRejected() {
        assertThatThrownBy(() -> new RankingMetrics().add(0))
                .hasMessageContaining("rank must be >= 1")
                .hasMessageContaining("0");
    }

    @Test
    void betterThanComparesNdcgThenHitRate() {
        MetricsReport a = new MetricsReport(1, 0.2, 0.1, 0, 0, 0, 0, 0, 0, 0);
        MetricsReport b = new MetricsReport(1, 0.3, 0.1, 0, 0, 0, 0, 0, 0, 0);
        MetricsReport c = new MetricsReport(1, 0.1, 0.2, 0, 0, 0, 0, 0, 0, 0);
        assertThat(b.betterThan(a)).isTrue();
        assertThat(a.betterThan(b)).isFalse();
        assertThat(c.betterThan(b)).isTrue();
        assertThat(a.betterThan(null)).isTrue();
    }
}
