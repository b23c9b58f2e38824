package dev.hstu.jobs.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserSequenceTest {

    @Test
    void keepsTheNewestInteractionsInTimeOrder() {
        UserSequence s = new UserSequence();
        for (int i = 1; i <= 5; i++) {
            s.add(100 + i, i % 2, i * 1000L, 3);
        }

        assertThat(s.items).containsExactly(103, 104, 105);
        assertThat(s.actions).containsExactly(1, 0, 1);
        assertThat(s.timestampsMs).containsExactly(3000, 4000, 5000);
        assertThat(s.pending).isEqualTo(3);
    }

    @Test
    void insertsALateInteractionWhereItBelongs() {
        UserSequence s = new UserSequence();
        s.add(1, 0, 1000, 10);
        s.add(3, 0, 3000, 10);
        s.add(2, 0, 2000, 10);
        s.add(4, 0, 3000, 10);

        assertThat(s.items).containsExactly(1, 2, 3, 4);
        assertThat(s.lastTimestampMs()).isEqualTo(3000);
    }

    @Test
    void featuresFollowTheirInteractionThroughLateInsertsAndTruncation() {
        UserSequence s = new UserSequence();
        s.add(1, 0, 1000, new float[] {1, 10}, 3);
        s.add(3, 0, 3000, new float[] {3, 30}, 3);
        s.add(2, 0, 2000, new float[] {2, 20}, 3);
        s.add(4, 0, 4000, new float[] {4, 40}, 3);

        assertThat(s.items).containsExactly(2, 3, 4);
        assertThat(s.featureDim).isEqualTo(2);
        assertThat(s.features).containsExactly(2, 20, 3, 30, 4, 40);
        TrainingSequence t = TrainingSequence.of(5, s);
        assertThat(t.features()).containsExactly(2, 20, 3, 30, 4, 40);
        assertThat(t.featureDim()).isEqualTo(2);
    }

    @Test
    void interactionsFromBeforeTheFeaturesGetZeros() {
        UserSequence s = new UserSequence();
        s.add(1, 0, 1000, 10);
        s.add(2, 0, 2000, 10);
        s.add(3, 0, 3000, new float[] {0.5f}, 10);
        s.add(4, 0, 4000, 10);

        assertThat(s.featureDim).isEqualTo(1);
        assertThat(s.features).containsExactly(0f, 0f, 0.5f, 0f);
    }

    @Test
    void trainingSequenceTargetsOnlyThePendingPositions() {
        UserSequence s = new UserSequence();
        s.add(1, 0, 1000, 10);
        assertThat(TrainingSequence.of(9, s))
                .as("one interaction has no target yet")
                .isNull();
        s.add(2, 0, 2000, 10);
        s.add(3, 0, 3000, 10);
        TrainingSequence first = TrainingSequence.of(9, s);
        assertThat(first.firstTarget()).isZero();

        s.pending = 0;
        s.add(4, 0, 4000, 10);
        TrainingSequence second = TrainingSequence.of(9, s);
        assertThat(second.firstTarget()).as("only position 2 -> item 4 is new").isEqualTo(2);
        assertThat(second.items()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void keepsTheLatestUserFeaturesAndReadsLegacyStateAsNone() {
        UserSequence s = new UserSequence();
        s.add(1, 0, 10, 5);
        s.updateUserFeatures(new long[] {3, 9});
        s.add(2, 0, 20, 5);
        s.updateUserFeatures(null);
        assertThat(s.userFeatures()).containsExactly(3, 9);
        assertThat(TrainingSequence.of(7, s).userFeatures()).containsExactly(3, 9);
        s.updateUserFeatures(new long[] {4});
        assertThat(s.userFeatures()).containsExactly(4);
        s.userFeatureKeys = null; // a row written before user features existed
        assertThat(s.userFeatures()).isEmpty();
    }
}
