package dev.hstu.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.FeatureColumn.ElementType;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.SequencePacker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Version 4 of the codec names its columns, so a new feature column travels without a new version. */
class MicroBatchColumnsTest {

    private static final FeatureColumn PRICE = FeatureColumn.event("price", ElementType.FLOAT, 1);
    private static final FeatureColumn SEGMENT = FeatureColumn.sequence("segment", ElementType.INT, 2);
    private static final FeatureColumn CLICKS = FeatureColumn.event("clicks", ElementType.LONG, 1);

    /** Two sequences with dense and user features and three columns no trainer reads yet. */
    static MicroBatch withColumns() {
        MicroBatchBuilder builder = new MicroBatchBuilder(2, 2);
        builder.add(
                new TrainingSequence(
                        7,
                        new long[] {1, 2, 3},
                        new int[] {0, 1, 0},
                        new long[] {10, 20, 30},
                        new float[] {0.5f, 1f, -0.5f, 2f, 1.5f, 3f},
                        2,
                        1,
                        new long[] {11, 22, 33}),
                50);
        builder.add(new TrainingSequence(8, new long[] {4, 5}, new int[] {1, 1}, new long[] {40, 50}, 0), 50);
        MicroBatch standard = builder.build(99);
        Map<String, ColumnValues> columns = new LinkedHashMap<>(standard.columns());
        columns.put("price", ColumnValues.of(PRICE, new float[] {1.5f, 2.5f, 3.5f, 4.5f, 5.5f}));
        columns.put("segment", ColumnValues.of(SEGMENT, new int[] {3, 4, 5, 6}));
        columns.put("clicks", ColumnValues.of(CLICKS, new long[] {Long.MIN_VALUE, 1, 2, 3, Long.MAX_VALUE}));
        return new MicroBatch(
                        standard.userIds(),
                        standard.offsets(),
                        standard.items(),
                        standard.actions(),
                        standard.timestampsMs(),
                        standard.firstTarget(),
                        standard.createdAtMs(),
                        columns)
                .validate();
    }

    @Test
    void aBatchWithAColumnBeyondTheDenseAndUserFeaturesRoundTripsAsVersionFour() {
        MicroBatch batch = withColumns();

        byte[] bytes = MicroBatchCodec.encode(batch);
        MicroBatch back = MicroBatchCodec.decode(bytes);

        assertThat(bytes[4]).as("version").isEqualTo((byte) 4);
        assertThat(back).isEqualTo(batch);
        assertThat(back.columnSpecs())
                .containsExactly(FeatureColumn.dense(2), FeatureColumn.userFeatures(2), PRICE, SEGMENT, CLICKS);
        assertThat(back.features()).containsExactly(batch.features());
        assertThat(back.userFeatures()).containsExactly(11, 22, 0, 0);
        assertThat(back.column("clicks").longs()).containsExactly(Long.MIN_VALUE, 1, 2, 3, Long.MAX_VALUE);
        assertThat(back.column("segment").ints()).containsExactly(3, 4, 5, 6);
        int directory = 2 + (2 + 5 + 6) + (2 + 12 + 6) + (2 + 5 + 6) + (2 + 7 + 6) + (2 + 6 + 6);
        int values = 5 * 2 * 4 + 2 * 2 * 8 + 5 * 4 + 2 * 2 * 4 + 5 * 8;
        assertThat(bytes).hasSize(24 + directory + 2 * 8 + 3 * 4 + 2 * 4 + 5 * 20 + values + 4);
    }

    @Test
    void aReaderKeepsAnUnknownColumnAndAPackerForAModelWithoutItIgnoresIt() {
        MicroBatch back = MicroBatchCodec.decode(MicroBatchCodec.encode(withColumns()));
        SequencePacker packer = new SequencePacker(
                new ItemVocabulary(100), true, List.of(FeatureColumn.dense(2), FeatureColumn.userFeatures(2)));
        for (int s = 0; s < back.size(); s++) {
            packer.add(back, s, back.firstTarget()[s], 50);
        }
        PackedBatch packed = packer.drain();

        assertThat(packed.columns())
                .extracting(ColumnValues::name)
                .containsExactly("items", "actions", "timestamps", "dense", "userFeatures");
        assertThat(packed.denseFeatures()).containsExactly(back.features());
        assertThat(packed.userFeatures()).containsExactly(11, 22, 0, 0);
    }

    @Test
    void aPackerForAModelReadingANewColumnTakesItByNameAndZerosItWhereTheBatchLacksIt() {
        MicroBatch back = MicroBatchCodec.decode(MicroBatchCodec.encode(withColumns()));
        SequencePacker packer = new SequencePacker(new ItemVocabulary(100), true, List.of(PRICE, SEGMENT));
        packer.add(back, 0, 0, 2); // the last two events only
        packer.add(back, 1, 0, 50);
        PackedBatch packed = packer.drain();
        assertThat(packed.column("price").floats()).containsExactly(2.5f, 3.5f, 4.5f, 5.5f);
        assertThat(packed.column("segment").ints()).containsExactly(3, 4, 5, 6);

        FeatureColumn wider = FeatureColumn.event("price", ElementType.FLOAT, 3);
        SequencePacker other = new SequencePacker(new ItemVocabulary(100), true, List.of(wider));
        other.add(back, 1, 0, 50);
        assertThat(other.drain().column("price").floats())
                .as("another width: zeros")
                .containsOnly(0f);
    }

    @Test
    void aCorruptColumnDirectoryIsRefusedWithAReason() {
        byte[] good = MicroBatchCodec.encode(withColumns());
        int firstName = 24 + 2 + 2;
        byte[] badName = good.clone();
        badName[firstName] = ' ';
        resealed(badName);
        assertThatThrownBy(() -> MicroBatchCodec.decode(badName))
                .hasMessageContaining("corrupt micro-batch: column name");
        byte[] badType = good.clone();
        badType[firstName + 5 + 1] = 7;
        resealed(badType);
        assertThatThrownBy(() -> MicroBatchCodec.decode(badType)).hasMessageContaining("type 7");
        byte[] badWidth = good.clone();
        badWidth[firstName + 5 + 2] = 3;
        resealed(badWidth);
        assertThatThrownBy(() -> MicroBatchCodec.decode(badWidth)).hasMessageContaining("need");
        byte[] twice = good.clone();
        int thirdName = firstName + 5 + 6 + 2 + 12 + 6 + 2;
        System.arraycopy("dense".getBytes(StandardCharsets.UTF_8), 0, twice, thirdName, 5);
        resealed(twice);
        assertThatThrownBy(() -> MicroBatchCodec.decode(twice)).hasMessageContaining("column dense twice");
        assertThatThrownBy(() -> MicroBatchCodec.decode(Arrays.copyOf(good, good.length - 9)))
                .hasMessageContaining("corrupt micro-batch");
        byte[] nan = MicroBatchCodec.encode(withColumns());
        // the price column's first value sits after the event arrays, the dense and the user-feature values
        int price = nan.length - 4 - 5 * 8 - 2 * 2 * 4 - 5 * 4;
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(price, Float.NaN);
        resealed(nan);
        assertThatThrownBy(() -> MicroBatchCodec.decode(nan))
                .hasMessageContaining("column price value 0 of event 0 is NaN");
    }

    @Test
    void flinkCarriesABatchInTheCodecsFormAndNeverCopiesIt() throws Exception {
        MicroBatch batch = withColumns();
        MicroBatchTypeInfo.Serializer serializer = MicroBatchTypeInfo.Serializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(batch, out);
        serializer.serialize(MicroBatchCodecTest.sample(), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(serializer.deserialize(in)).isEqualTo(batch);
        assertThat(serializer.deserialize(in)).isEqualTo(MicroBatchCodecTest.sample());
        assertThat(serializer.copy(batch)).isSameAs(batch);
        assertThat(new MicroBatchTypeInfo().createSerializer(null)).isSameAs(serializer);
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(serializer);
    }

    private static void resealed(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
    }
}
