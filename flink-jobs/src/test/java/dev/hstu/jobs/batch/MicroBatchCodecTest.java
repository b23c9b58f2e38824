package dev.hstu.jobs.batch;

import dev.hstu.jobs.sequence.TrainingSequence;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MicroBatchCodecTest {

    static MicroBatch sample() {
        MicroBatchBuilder builder = new MicroBatchBuilder();
        builder.add(new TrainingSequence(7, new long[] {1, 2, 3}, new int[] {0, 1, 0}, new long[] {10, 20, 30}, 1), 50);
        builder.add(new TrainingSequence(-1L, new long[] {Long.MIN_VALUE, 5}, new int[] {3, 0}, new long[] {1, 2}, 0),
                50);
        return builder.build(99);
    }

    @Test
    void roundTripsEveryFieldIncludingUnsignedIds() {
        MicroBatch batch = sample();

        MicroBatch back = MicroBatchCodec.decode(MicroBatchCodec.encode(batch));

        assertThat(back).isEqualTo(batch);
        assertThat(back.offsets()).containsExactly(0, 3, 5);
        assertThat(back.firstTarget()).containsExactly(1, 0);
        assertThat(MicroBatchCodec.encode(batch)).hasSize(24 + 2 * 8 + 3 * 4 + 2 * 4 + 5 * 20 + 4);
    }

    @Test
    void builderKeepsTheLastMaxLengthEventsAndShiftsTheFirstTarget() {
        MicroBatchBuilder builder = new MicroBatchBuilder();
        builder.add(new TrainingSequence(1, new long[] {1, 2, 3, 4, 5}, new int[5], new long[] {1, 2, 3, 4, 5}, 3), 3);

        MicroBatch batch = builder.build(0);

        assertThat(batch.items()).containsExactly(3, 4, 5);
        assertThat(batch.firstTarget()).containsExactly(1);
        assertThat(builder.isEmpty()).isTrue();
    }

    @Test
    void refusesCorruptTruncatedAndForeignPayloadsWithAReason() {
        byte[] good = MicroBatchCodec.encode(sample());
        byte[] flipped = good.clone();
        flipped[40] ^= 1;

        assertThatThrownBy(() -> MicroBatchCodec.decode(flipped)).hasMessageContaining("checksum mismatch");
        assertThatThrownBy(() -> MicroBatchCodec.decode(Arrays.copyOf(good, good.length - 3)))
                .hasMessageContaining("corrupt micro-batch");
        assertThatThrownBy(() -> MicroBatchCodec.decode("{\"user_id\":1}".getBytes()))
                .hasMessageContaining("not a micro-batch");
        assertThatThrownBy(() -> MicroBatchCodec.decode(null)).hasMessageContaining("no payload");
        byte[] newer = good.clone();
        newer[4] = 2;
        assertThatThrownBy(() -> MicroBatchCodec.decode(newer)).hasMessageContaining("unsupported micro-batch version 2");
    }
}
