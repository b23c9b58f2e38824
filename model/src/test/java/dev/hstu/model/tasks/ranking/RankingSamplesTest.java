package dev.hstu.model.tasks.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-user time split into ranking windows. */
class RankingSamplesTest {

    private static UserSequences user(int events) {
        int[] items = new int[events];
        int[] actions = new int[events];
        long[] times = new long[events];
        for (int i = 0; i < events; i++) {
            items[i] = 2 + i;
            actions[i] = i % 2;
            times[i] = 100L * i;
        }
        return new UserSequences(
                new long[] {7}, List.of(items), List.of(actions), List.of(times), new ItemVocabulary(100));
    }

    @Test
    void theNewestWindowIsTestTheOneBeforeValidationTheRestTraining() {
        // 11 events, windows of 3: test [8, 11), validation [5, 8), training [2, 5) and [1, 2)
        RankingSamples.Split split = RankingSamples.split(user(11), 3, 6);
        assertThat(split.test()).containsExactly(new RankingSamples.Window(0, 5, 8, 3));
        assertThat(split.validation()).containsExactly(new RankingSamples.Window(0, 2, 5, 3));
        assertThat(split.train())
                .containsExactly(new RankingSamples.Window(0, 0, 1, 1), new RankingSamples.Window(0, 0, 2, 3));
        assertThat(split.skippedUsers()).isZero();
    }

    @Test
    void aUserTooShortForATrainingSampleIsSkipped() {
        assertThat(RankingSamples.split(user(7), 3, 6).skippedUsers()).isEqualTo(1);
        assertThat(RankingSamples.split(user(8), 3, 6).train()).hasSize(1);
        assertThatThrownBy(() -> RankingSamples.split(user(8), 6, 6)).hasMessageContaining("1 to maxSeqLen-1 = 5");
    }

    @Test
    void aBatchHoldsTheHistoryThenTheCandidates() {
        UserSequences user = user(11);
        PackedBatch batch = RankingSamples.batch(user, List.of(new RankingSamples.Window(0, 5, 8, 3)));
        assertThat(batch.items()).containsExactly(7, 8, 9, 10, 11, 12);
        assertThat(batch.column(FeatureColumn.NUM_TARGETS).ints()).containsExactly(3);
        // the candidates keep their own times and actions (their labels)
        assertThat(batch.timestamps()).containsExactly(500, 600, 700, 800, 900, 1000);
        assertThat(batch.actions()).containsExactly(1, 0, 1, 0, 1, 0);
        assertThat(batch.firstTarget()).containsExactly(5);
    }
}
