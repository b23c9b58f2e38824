package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import org.junit.jupiter.api.Test;

class PackedBatchTest {

    @Test
    void builderPacksSequencesAndIsReusableAfterReset() {
        PackedBatch.Builder builder = PackedBatch.builder();
        builder.addEvent(2, 1, 100).addEvent(3, 0, 200).addEvent(4, 1, 300).endSequence(1);
        builder.addSequence(new int[] {9, 8, 7, 6}, new int[] {0, 0, 0, 0}, new long[] {1, 2, 3, 4}, 1, 2, 0);
        PackedBatch batch = builder.build();
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.offsets()).containsExactly(0, 3, 5);
        assertThat(batch.items()).containsExactly(2, 3, 4, 8, 7);
        assertThat(batch.timestamps()).containsExactly(100, 200, 300, 2, 3);
        assertThat(batch.firstTarget()).containsExactly(1, 0);
        assertThat(batch.numTargetPositions()).isEqualTo(1 + 1);
        assertThat(batch.maxLength()).isEqualTo(3);

        builder.reset();
        for (int s = 0; s < 100; s++) {
            for (int p = 0; p < 30; p++) {
                builder.addEvent(2 + p, 0, p);
            }
            builder.endSequence(29);
        }
        PackedBatch big = builder.build();
        assertThat(big.size()).isEqualTo(100);
        assertThat(big.totalEvents()).isEqualTo(3000);
        assertThat(big.numTargetPositions()).isZero();
        assertThat(batch.items())
                .as("a built batch is not affected by later reuse")
                .containsExactly(2, 3, 4, 8, 7);
    }

    @Test
    void builderRejectsBadEventsAndTargets() {
        PackedBatch.Builder builder = PackedBatch.builder();
        assertThatThrownBy(() -> builder.addEvent(0, 0, 1))
                .hasMessage("batch.items[0] must be >= 1 (0 is padding), got 0");
        assertThatThrownBy(() -> builder.addEvent(2, -1, 1)).hasMessage("batch.actions[0] must be >= 0, got -1");
        assertThatThrownBy(() -> builder.addEvent(2, 0, -5))
                .hasMessage("batch.timestamps[0] must be >= 0 epoch seconds, got -5");
        assertThatThrownBy(() -> builder.endSequence(0)).hasMessageContaining("sequence 0 has no events");
        builder.addEvent(2, 0, 1).addEvent(3, 0, 2);
        assertThatThrownBy(() -> builder.endSequence(2))
                .hasMessage("batch.firstTarget of sequence 0 must be in [0, 1], got 2");
        assertThat(builder.events()).as("the rejected sequence is rolled back").isZero();
        builder.addEvent(2, 0, 1);
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("open");
    }

    @Test
    void ofValidatesOffsetsAndArrayLengths() {
        assertThatThrownBy(() -> PackedBatch.of(
                        new int[] {0, 2, 1}, new int[] {2, 2}, new int[] {0, 0}, new long[] {0, 0}, new int[] {0, 0}))
                .hasMessageContaining("batch.offsets must be strictly increasing");
        assertThatThrownBy(() ->
                        PackedBatch.of(new int[] {1, 2}, new int[] {2}, new int[] {0}, new long[] {0}, new int[] {0}))
                .hasMessageStartingWith("batch.offsets must start with 0");
        assertThatThrownBy(() -> PackedBatch.of(
                        new int[] {0, 2}, new int[] {2, 3}, new int[] {0}, new long[] {0, 0}, new int[] {0}))
                .hasMessage("batch arrays disagree: offsets end at 2 events but items=2, actions=1, timestamps=2");
        assertThatThrownBy(() -> PackedBatch.of(
                        new int[] {0, 2}, new int[] {2, 3}, new int[] {0, 0}, new long[] {0, 0}, new int[] {0, 0}))
                .hasMessage("batch.firstTarget has 2 entries for 1 sequences");
        PackedBatch ok =
                PackedBatch.of(new int[] {0, 2}, new int[] {2, 3}, new int[] {0, 0}, new long[] {0, 0}, new int[] {0});
        assertThat(ok.numTargetPositions()).isEqualTo(1);
    }

    @Test
    void modelLimitsAreCheckedBeforeTensorsAreBuilt() {
        HstuConfig config = TestBatches.tiny();
        PackedBatch tooBigItem = TestBatches.single(new int[] {2, 50}, new int[] {0, 0}, new long[] {0, 1});
        assertThatThrownBy(() -> PaddedSequences.checkFits(tooBigItem, config))
                .hasMessage("batch.items[1] (sequence 0) = 50 is outside the item table of model.items.capacity=50");
        PackedBatch badAction = TestBatches.single(new int[] {2, 3}, new int[] {0, 4}, new long[] {0, 1});
        assertThatThrownBy(() -> PaddedSequences.checkFits(badAction, config))
                .hasMessage("batch.actions[1] (sequence 0) = 4 is outside model.features.actions.numActions=4");
        int[] items = new int[21];
        java.util.Arrays.fill(items, 2);
        PackedBatch longSeq = TestBatches.single(items, new int[21], new long[21]);
        assertThatThrownBy(() -> PaddedSequences.checkFits(longSeq, config))
                .hasMessageStartingWith("sequence 0 has 21 events, more than model.encoder.maxSeqLen=20");
    }
}
