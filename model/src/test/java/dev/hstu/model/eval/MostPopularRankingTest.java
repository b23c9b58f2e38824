package dev.hstu.model.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MostPopularRankingTest {

    @Test
    void mostFrequentFirstEqualCountsByAscendingIdAndTheUsersOwnItemsLeftOut() {
        long[] ranking = MostPopular.ranking(Map.of(30L, 2, 10L, 5, 20L, 2, 40L, 1));
        assertThat(ranking).containsExactly(10L, 20L, 30L, 40L);
        assertThat(MostPopular.topK(ranking, Set.of(20L), 2)).containsExactly(10L, 30L);
        assertThat(MostPopular.topK(ranking, Set.of(10L, 30L), 5)).containsExactly(20L, 40L);
    }
}
