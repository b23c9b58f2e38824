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
        MetricsReport a = new MetricsReport(1, 0.2, 0.1, 0, 0, 0);
        MetricsReport b = new MetricsReport(1, 0.3, 0.1, 0, 0, 0);
        MetricsReport c = new MetricsReport(1, 0.1, 0.2, 0, 0, 0);
        assertThat(b.betterThan(a)).isTrue();
        assertThat(a.betterThan(b)).isFalse();
        assertThat(c.betterThan(b)).isTrue();
        assertThat(a.betterThan(null)).isTrue();
    }
}
