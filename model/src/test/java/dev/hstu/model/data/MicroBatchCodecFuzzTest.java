package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.fuzz.Mutations;
import dev.hstu.model.data.FeatureColumn.ElementType;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The micro-batch decoder over random and mutated payloads, most of them with a valid checksum (anyone who can write
 * to the topic can compute a CRC, so it guards against accidents, not against a bad writer): the decoder returns a
 * valid batch or refuses with an {@link IllegalArgumentException}, and allocates no more than a multiple of the
 * payload's length.
 */
class MicroBatchCodecFuzzTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static MicroBatch plain() {
        return new MicroBatch(
                new long[] {7, -1L},
                new int[] {0, 3, 5},
                new long[] {1, 2, 3, Long.MIN_VALUE, 5},
                new int[] {0, 1, 0, 3, 0},
                new long[] {10, 20, 30, 1, 2},
                new int[] {1, 0},
                99);
    }

    static MicroBatch withUserFeatures() {
        return new MicroBatch(
                new long[] {7, 8},
                new int[] {0, 2, 3},
                new long[] {1, 2, 3},
                new int[] {0, 1, 1},
                new long[] {10, 20, 30},
                new float[] {0.5f, 1f, -0.5f, 2f, 1.5f, 3f},
                2,
                new int[] {1, 0},
                99,
                new long[] {11, 12, 13, 14},
                2);
    }

    static MicroBatch withColumns() {
        Map<String, ColumnValues> columns = new LinkedHashMap<>();
        columns.put(
                "price", ColumnValues.of(FeatureColumn.event("price", ElementType.FLOAT, 1), new float[] {1, 2, 3}));
        columns.put(
                "segment",
                ColumnValues.of(FeatureColumn.sequence("segment", ElementType.INT, 2), new int[] {3, 4, 5, 6}));
        columns.put(
                "clicks", ColumnValues.of(FeatureColumn.event("clicks", ElementType.LONG, 1), new long[] {1, 2, 3}));
        return new MicroBatch(
                new long[] {7, 8},
                new int[] {0, 2, 3},
                new long[] {1, 2, 3},
                new int[] {0, 1, 1},
                new long[] {10, 20, 30},
                new int[] {1, 0},
                99,
                columns);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> edited = Arbitraries.oneOf(
                Mutations.of(MicroBatchCodec.encode(plain())),
                Mutations.of(MicroBatchCodec.encode(withUserFeatures())),
                Mutations.of(MicroBatchCodec.encode(withColumns())));
        return Combinators.combine(edited, Arbitraries.of(true, true, true, false))
                .as((bytes, reseal) -> reseal ? resealed(bytes) : bytes);
    }

    /** A valid magic and version before random bytes, sealed: what reaches the size checks. */
    @Provide
    Arbitrary<byte[]> headed() {
        return Combinators.combine(
                        Arbitraries.shorts().between((short) 1, (short) 4),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(256))
                .as((version, tail) -> {
                    ByteBuffer buf = ByteBuffer.allocate(8 + tail.length + 4).order(ByteOrder.LITTLE_ENDIAN);
                    buf.putInt(MicroBatchCodec.MAGIC)
                            .putShort(version)
                            .putShort((short) 0)
                            .put(tail);
                    return resealed(buf.array());
                });
    }

    @Property(tries = 1000)
    void randomBytesAreRefused(@ForAll @Size(max = 512) byte[] bytes) {
        decodeChecked(bytes);
    }

    @Property(tries = 1500)
    void mutatedBatchesDecodeOrAreRefused(@ForAll("mutated") byte[] bytes) {
        decodeChecked(bytes);
    }

    @Property(tries = 1500)
    void sealedRandomBodiesDecodeOrAreRefused(@ForAll("headed") byte[] bytes) {
        decodeChecked(bytes);
    }

    private static void decodeChecked(byte[] bytes) {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        MicroBatch batch = null;
        try {
            batch = MicroBatchCodec.decode(bytes);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).isLessThanOrEqualTo((1 << 20) + 64L * bytes.length);
        if (batch != null) {
            // what decodes is a batch every reader can walk: it encodes and decodes to itself
            assertThat(MicroBatchCodec.decode(MicroBatchCodec.encode(batch))).isEqualTo(batch);
            for (int s = 0; s < batch.size(); s++) {
                assertThat(batch.length(s)).isPositive();
            }
        }
    }

    private static byte[] resealed(byte[] bytes) {
        if (bytes.length < 4) {
            return bytes;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out, out.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return out;
    }

    private static ByteBuffer header(int capacity, short version, int sequences, int events) {
        return ByteBuffer.allocate(capacity)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(MicroBatchCodec.MAGIC)
                .putShort(version)
                .putShort((short) 0)
                .putInt(sequences)
                .putInt(events)
                .putLong(99);
    }

    // Found by reading the size accounting the fuzzing exercises: 2^30 sequences with two per-sequence int columns
    // of widths 2^31-1 and 2^31-3 make the expected size wrap from 2^34 + 52 to 52, a 52-byte payload passed the
    // length check, and the decoder then asked for an 8 GB array of user ids.
    @Test
    void sizesThatWrapToThePayloadsLengthAreRefusedBeforeAllocating() {
        ByteBuffer buf = header(52, MicroBatchCodec.VERSION_COLUMNS, 1 << 30, 0);
        buf.putShort((short) 2);
        for (String name : new String[] {"a", "b"}) {
            buf.putShort((short) 1).put((byte) name.charAt(0)).put((byte) 1).put((byte) 0);
            buf.putInt(name.equals("a") ? Integer.MAX_VALUE : Integer.MAX_VALUE - 2);
        }
        buf.putInt(0);
        byte[] bytes = resealed(buf.array());

        assertThatThrownBy(() -> MicroBatchCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("corrupt micro-batch: 1073741824 sequences, 0 events in 52 bytes");
    }

    @Test
    void aColumnLargerThanThePayloadIsRefusedByName() {
        ByteBuffer buf = header(24 + 2 + 9 + 8 + 4 + 4 + 4, MicroBatchCodec.VERSION_COLUMNS, 1, 0);
        buf.putShort((short) 1)
                .putShort((short) 1)
                .put((byte) 'a')
                .put((byte) 1)
                .put((byte) 1);
        buf.putInt(Integer.MAX_VALUE);
        byte[] bytes = resealed(buf.array());

        assertThatThrownBy(() -> MicroBatchCodec.decode(bytes))
                .hasMessageStartingWith("corrupt micro-batch: column a(sequence long x2147483647) needs 17179869176");
    }

    private static byte[] plainBatch(int[] offsets, int events) {
        int n = offsets.length - 1;
        ByteBuffer buf = header(24 + n * 16 + 4 + events * 20 + 4, MicroBatchCodec.VERSION_PLAIN, n, events);
        for (int s = 0; s < n; s++) {
            buf.putLong(s);
        }
        for (int offset : offsets) {
            buf.putInt(offset);
        }
        for (int s = 0; s < n; s++) {
            buf.putInt(0);
        }
        buf.position(buf.position() + events * 20);
        return resealed(buf.array());
    }

    // Found by reading the check the fuzzing exercises: offsets 0, MAX, MIN, -1, 5 have "lengths" MAX, 1 (MIN - MAX
    // wraps), MAX and 6, so the batch decoded, and a trainer walking sequence 1 read item 2^31-1 of 5.
    @Test
    void offsetsThatWrapAroundAreRefused() {
        byte[] bytes = plainBatch(new int[] {0, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 5}, 5);

        assertThatThrownBy(() -> MicroBatchCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("micro-batch sequence 1 is empty (offsets 2147483647..-2147483648)");
    }

    // Events that belong to no sequence were accepted when there were no sequences at all.
    @Test
    void eventsWithoutSequencesAreRefused() {
        byte[] bytes = plainBatch(new int[] {7}, 1);

        assertThatThrownBy(() -> MicroBatchCodec.decode(bytes))
                .hasMessageContaining("micro-batch offsets must run from 0 to 1, got 7..7");
        assertThat(MicroBatchCodec.decode(plainBatch(new int[] {0}, 0)).size()).isZero();
    }
}
