package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The optional per-sequence user-feature channel of a batch and the hashing of its keys. */
class PackedBatchUserFeaturesTest {

    @Test
    void aBatchWithoutUserFeaturesHasNoSlotsAndNoArray() {
        PackedBatch batch =
                PackedBatch.builder().addEvent(2, 0, 1).endSequence(0).build();
        assertThat(batch.userFeatureSlots()).isZero();
        assertThat(batch.userFeatures()).isNull();
        assertThat(PackedBatch.builder(0, 0)
                        .addEvent(2, 0, 1)
                        .endSequence(0)
                        .build()
                        .userFeatures())
                .isNull();
    }

    @Test
    void theBuilderKeepsEachSequencesKeysInOrderAcrossGrowthAndReset() {
        PackedBatch.Builder builder = PackedBatch.builder(0, 2);
        assertThat(builder.userFeatureSlots()).isEqualTo(2);
        long[] keys = new long[60];
        for (int s = 0; s < 30; s++) { // grows past the initial 17 sequences
            keys[2 * s] = 100 + s;
            keys[2 * s + 1] = s % 3 == 0 ? PackedBatch.NO_USER_FEATURE : -s;
            builder.addEvent(2 + s, 0, s).addEvent(3, 1, s + 1).endSequence(0, keys, 2 * s);
        }
        PackedBatch batch = builder.build();
        assertThat(batch.size()).isEqualTo(30);
        assertThat(batch.userFeatureSlots()).isEqualTo(2);
        assertThat(batch.userFeatures()).containsExactly(keys);

        PackedBatch again = builder.reset()
                .addEvent(4, 0, 3)
                .endSequence(0, new long[] {9, 7, 5}, 1)
                .build();
        assertThat(again.userFeatures()).containsExactly(7, 5);
    }

    @Test
    void denseAndUserFeaturesTravelTogether() {
        PackedBatch batch = PackedBatch.builder(1, 1)
                .addEvent(2, 0, 1, new float[] {0.5f}, 0)
                .endSequence(0, new long[] {42}, 0)
                .build();
        assertThat(batch.denseFeatures()).containsExactly(0.5f);
        assertThat(batch.userFeatures()).containsExactly(42L);
    }

    @Test
    void everySequenceOfAUserFeatureBuilderNeedsItsKeysAndAPlainBuilderTakesNone() {
        assertThatThrownBy(() -> PackedBatch.builder(0, 2).addEvent(2, 0, 1).endSequence(0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("userFeatureSlots=2");
        assertThatThrownBy(() ->
                        PackedBatch.builder(0, 2).addSequence(new int[] {2}, new int[] {0}, new long[] {1}, 0, 1, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("endSequence(firstTargetPosition, userFeatures, from)");
        assertThatThrownBy(() -> PackedBatch.builder().addEvent(2, 0, 1).endSequence(0, new long[] {1}, 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PackedBatch.builder(0, -1)).hasMessageContaining("userFeatureSlots must be >= 0");
        PackedBatch.Builder builder = PackedBatch.builder(0, 3).addEvent(2, 0, 1);
        assertThatThrownBy(() -> builder.endSequence(0, new long[] {1, 2}, 0))
                .hasMessageContaining("needs userFeatureSlots=3 keys");
        assertThat(builder.endSequence(0, new long[] {1, 2, 3}, 0).size())
                .as("the sequence stayed open for a retry")
                .isEqualTo(1);
    }

    @Test
    void withUserFeaturesSharesTheEventsAndChecksTheKeyCount() {
        PackedBatch plain = PackedBatch.of(
                new int[] {0, 1, 3}, new int[] {2, 3, 4}, new int[] {0, 0, 1}, new long[] {0, 1, 2}, new int[] {0, 0});
        PackedBatch with = plain.withUserFeatures(new long[] {1, 0, 2, 3}, 2);
        assertThat(with.items()).isSameAs(plain.items());
        assertThat(with.userFeatures()).containsExactly(1, 0, 2, 3);
        assertThat(plain.userFeatures()).isNull();
        assertThatThrownBy(() -> plain.withUserFeatures(new long[] {1, 2, 3}, 2))
                .hasMessageContaining("sequences*slots = 2*2 keys, got 3");
        assertThatThrownBy(() -> plain.withUserFeatures(null, 2)).hasMessageContaining("got null");
        assertThatThrownBy(() -> plain.withUserFeatures(new long[0], 0))
                .hasMessageContaining("userFeatureSlots must be >= 1");
    }

    @Test
    void hashingSendsOnlyTheEmptySlotToRowZeroAndSpreadsKeysOverTheOtherRows() {
        assertThat(UserFeatureHashing.row(PackedBatch.NO_USER_FEATURE, 10)).isZero();
        Set<Integer> rows = new HashSet<>();
        for (long key = 1; key <= 1000; key++) {
            int row = UserFeatureHashing.row(key, 10);
            assertThat(row).isBetween(1, 9);
            rows.add(row);
        }
        assertThat(rows).hasSize(9);
        assertThat(UserFeatureHashing.row(-7L, 2)).isEqualTo(1);
        assertThat(UserFeatureHashing.key(103, 3))
                .isNotEqualTo(UserFeatureHashing.key(104, 3))
                .isNotEqualTo(PackedBatch.NO_USER_FEATURE);
        assertThat(UserFeatureHashing.key(0, 0)).isNotEqualTo(PackedBatch.NO_USER_FEATURE);
        assertThat(UserFeatureHashing.key(103, 3)).isEqualTo(UserFeatureHashing.key(103, 3));
    }
}
