package dev.hstu.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicroBatchCodecTest {

    static MicroBatch sample() {
        MicroBatchBuilder builder = new MicroBatchBuilder();
        builder.add(new TrainingSequence(7, new long[] {1, 2, 3}, new int[] {0, 1, 0}, new long[] {10, 20, 30}, 1), 50);
        builder.add(
                new TrainingSequence(-1L, new long[] {Long.MIN_VALUE, 5}, new int[] {3, 0}, new long[] {1, 2}, 0), 50);
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
        newer[4] = 5;
        assertThatThrownBy(() -> MicroBatchCodec.decode(newer))
                .hasMessageContaining("unsupported micro-batch version 5");
    }

    static MicroBatch withFeatures() {
        MicroBatchBuilder builder = new MicroBatchBuilder(2);
        builder.add(
                new TrainingSequence(
                        7,
                        new long[] {1, 2, 3},
                        new int[] {0, 1, 0},
                        new long[] {10, 20, 30},
                        new float[] {0.5f, 1f, -0.5f, 2f, 1.5f, 3f},
                        2,
                        1),
                2);
        // state from before the features were switched on: zeros, not a failure
        builder.add(new TrainingSequence(8, new long[] {4, 5}, new int[] {1, 1}, new long[] {40, 50}, 0), 50);
        return builder.build(99);
    }

    @Test
    void carriesTheCtrChannelsOfTheKeptEventsAsVersionTwo() {
        MicroBatch batch = withFeatures();

        assertThat(batch.featureDim()).isEqualTo(2);
        assertThat(batch.features()).containsExactly(-0.5f, 2f, 1.5f, 3f, 0f, 0f, 0f, 0f);
        byte[] bytes = MicroBatchCodec.encode(batch);
        assertThat(bytes[4]).as("version").isEqualTo((byte) 2);
        assertThat(bytes).hasSize(24 + 4 + 2 * 8 + 3 * 4 + 2 * 4 + 4 * 20 + 4 * 2 * 4 + 4);
        assertThat(MicroBatchCodec.decode(bytes)).isEqualTo(batch);
        assertThat(MicroBatchCodec.encode(sample())[4])
                .as("batches without features stay version 1")
                .isEqualTo((byte) 1);
    }

    @Test
    void refusesNonFiniteFeaturesAndAFeatureCountThatDoesNotAddUp() {
        MicroBatch batch = withFeatures();
        float[] nan = batch.features().clone();
        nan[3] = Float.NaN;
        MicroBatch bad = new MicroBatch(
                batch.userIds(),
                batch.offsets(),
                batch.items(),
                batch.actions(),
                batch.timestampsMs(),
                nan,
                2,
                batch.firstTarget(),
                1);

        assertThatThrownBy(bad::validate).hasMessageContaining("feature 1 of event 1 is NaN");
        byte[] bytes = MicroBatchCodec.encode(batch);
        bytes[24] = 3; // featureDim 3 no longer matches the payload's length
        assertThatThrownBy(() -> MicroBatchCodec.decode(bytes)).hasMessageContaining("events of 3 features need");
    }

    @Test
    void carriesEachSequencesUserFeatureSlotsAsVersionThree() {
        MicroBatchBuilder builder = new MicroBatchBuilder(0, 2);
        builder.add(
                new TrainingSequence(
                        7, new long[] {1, 2}, new int[] {0, 1}, new long[] {10, 20}, new float[0], 0, 0, new long[] {
                            11, 22, 33
                        }),
                50);
        builder.add(new TrainingSequence(8, new long[] {4, 5}, new int[] {1, 1}, new long[] {40, 50}, 0), 50);
        builder.add(
                new TrainingSequence(
                        9, new long[] {6, 7}, new int[] {1, 1}, new long[] {60, 70}, new float[0], 0, 0, new long[] {44
                        }),
                50);
        assertThat(builder.truncatedUserFeatures())
                .as("user 7 had three keys for two slots")
                .isEqualTo(1);
        MicroBatch batch = builder.build(5);

        assertThat(batch.userFeatureSlots()).isEqualTo(2);
        assertThat(batch.userFeatures()).containsExactly(11, 22, 0, 0, 44, 0);
        byte[] bytes = MicroBatchCodec.encode(batch);
        assertThat(bytes[4]).as("version").isEqualTo((byte) 3);
        assertThat(bytes).hasSize(24 + 4 + 4 + 3 * 8 + 4 * 4 + 3 * 4 + 6 * 20 + 3 * 2 * 8 + 4);
        assertThat(MicroBatchCodec.decode(bytes)).isEqualTo(batch);
        assertThat(MicroBatchCodec.encode(withFeatures())[4])
                .as("dense features alone stay version 2")
                .isEqualTo((byte) 2);
        bytes[28] = 3; // three slots no longer match the payload's length
        assertThatThrownBy(() -> MicroBatchCodec.decode(bytes)).hasMessageContaining("3 user-feature slots need");
    }

    @Test
    void largestEncodingIsTheSizeOfAFullBatchWithEveryColumn() {
        List<FeatureColumn> columns = List.of(FeatureColumn.dense(4), FeatureColumn.userFeatures(3));
        long plain = MicroBatchCodec.largestEncoding(8, 50, List.of());
        long withColumns = MicroBatchCodec.largestEncoding(8, 50, columns);

        // 20 bytes per event and 16 per sequence plus a header; 4 more per dense value and 8 per user-feature slot
        assertThat(plain).isBetween(8L * 50 * 20, 8L * 50 * 20 + 8 * 20 + 64);
        assertThat(withColumns - plain).isBetween(8L * 50 * 4 * 4 + 8 * 3 * 8, 8L * 50 * 4 * 4 + 8 * 3 * 8 + 64);
    }
}
