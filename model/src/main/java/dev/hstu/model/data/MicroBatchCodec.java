package dev.hstu.model.data;

import dev.hstu.model.data.FeatureColumn.ElementType;
import dev.hstu.model.data.FeatureColumn.Scope;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The compact binary form of a {@link MicroBatch} on the {@code training-batches} topic, little-endian:
 * <pre>
 *   int32 magic "HSTB", int16 version, int16 flags (0), int32 sequences n, int32 events m, int64 createdAtMs,
 *   [version 2, 3: int32 featureDim f] [version 3: int32 userFeatureSlots u]
 *   [version 4: int16 columns c, then per column: int16 name length, the name in UTF-8,
 *               int8 scope (0 per event, 1 per sequence), int8 type (0 int32, 1 int64, 2 float32), int32 width w]
 *   int64[n] userIds, int32[n+1] offsets, int32[n] firstTarget,
 *   int64[m] items, int32[m] actions, int64[m] timestampsMs, [version 2, 3: float32[m*f] features]
 *   [version 3: int64[n*u] user-feature keys]
 *   [version 4: per column, in directory order, its (m or n) * w values]
 *   int32 CRC32C of everything before it
 * </pre>
 * About 20 bytes per event plus 4 per feature, and 8 per user-feature slot of a sequence; a truncated, altered or
 * foreign record is refused with a reason, never half-read. Version 4 names its columns, so a new input feature
 * needs no new version: a reader keeps every column it finds, and a trainer uses those its model reads. Each batch
 * is written in the oldest version that holds it (1 without features, 2 with dense features only, 3 with user
 * features, 4 with any other column), so trainers that predate a feature still read what a job without it sends.
 */
public final class MicroBatchCodec {

    static final int MAGIC = 0x42545348; // "HSTB" as little-endian bytes
    static final short VERSION_PLAIN = 1;
    static final short VERSION_FEATURES = 2;
    static final short VERSION_USER_FEATURES = 3;
    static final short VERSION_COLUMNS = 4;
    private static final int HEADER = 4 + 2 + 2 + 4 + 4 + 8;
    private static final ElementType[] TYPES = {ElementType.INT, ElementType.LONG, ElementType.FLOAT};
    private static final Scope[] SCOPES = {Scope.EVENT, Scope.SEQUENCE};

    private MicroBatchCodec() {}

    /**
     * The size of the largest record a packer of these settings writes: {@code sequences} full sequences of {@code
     * maxLength} events with every column, encoded as {@link #encode} would. A job checks it against the producer's
     * request limit at start-up, so a full micro-batch never fails the job at run time.
     *
     * @param sequences sequences per micro-batch
     * @param maxLength events per sequence at most
     * @param columns the batch columns beyond items, actions and timestamps
     * @return bytes of the encoded batch
     */
    public static long largestEncoding(int sequences, int maxLength, List<FeatureColumn> columns) {
        int events = Math.multiplyExact(sequences, maxLength);
        int[] offsets = new int[sequences + 1];
        for (int s = 1; s <= sequences; s++) {
            offsets[s] = s * maxLength;
        }
        Map<String, ColumnValues> values = new LinkedHashMap<>();
        for (FeatureColumn column : columns) {
            values.put(column.name(), ColumnValues.zeros(column, column.scope() == Scope.EVENT ? events : sequences));
        }
        MicroBatch full = new MicroBatch(
                new long[sequences],
                offsets,
                new long[events],
                new int[events],
                new long[events],
                new int[sequences],
                0L,
                values);
        return encode(full).length;
    }

    public static byte[] encode(MicroBatch batch) {
        short version = version(batch);
        return version == VERSION_COLUMNS ? encodeColumns(batch) : encodeFixed(batch, version);
    }

    private static short version(MicroBatch batch) {
        boolean onlyStandard = batch.columns().keySet().stream()
                .allMatch(name -> name.equals(FeatureColumn.DENSE) || name.equals(FeatureColumn.USER_FEATURES));
        if (!onlyStandard) {
            return VERSION_COLUMNS;
        }
        return batch.userFeatureSlots() > 0
                ? VERSION_USER_FEATURES
                : batch.featureDim() > 0 ? VERSION_FEATURES : VERSION_PLAIN;
    }

    private static byte[] encodeFixed(MicroBatch batch, short version) {
        int n = batch.size();
        int m = batch.events();
        int f = batch.featureDim();
        int u = batch.userFeatureSlots();
        boolean withFeatures = version >= VERSION_FEATURES;
        ByteBuffer buf = allocate(fixedSize(version, n, m, f, u), m);
        header(buf, version, batch);
        if (withFeatures) {
            buf.putInt(f);
        }
        if (version == VERSION_USER_FEATURES) {
            buf.putInt(u);
        }
        events(buf, batch);
        if (withFeatures) {
            buf.asFloatBuffer().put(batch.features());
            buf.position(buf.position() + m * f * 4);
        }
        if (version == VERSION_USER_FEATURES) {
            buf.asLongBuffer().put(batch.userFeatures());
            buf.position(buf.position() + n * u * 8);
        }
        return sealed(buf);
    }

    private static byte[] encodeColumns(MicroBatch batch) {
        int n = batch.size();
        int m = batch.events();
        List<byte[]> names = new ArrayList<>();
        long size = HEADER + 2 + n * 8L + (n + 1) * 4L + n * 4L + m * 20L + 4;
        for (ColumnValues values : batch.columns().values()) {
            byte[] name = values.name().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 2
                    + name.length
                    + 1
                    + 1
                    + 4
                    + (long) values.length() * bytesPer(values.column().type());
        }
        if (batch.columns().size() > Short.MAX_VALUE) {
            throw new IllegalArgumentException("micro-batch has too many columns to encode: "
                    + batch.columns().size());
        }
        ByteBuffer buf = allocate(size, m);
        header(buf, VERSION_COLUMNS, batch);
        buf.putShort((short) batch.columns().size());
        int c = 0;
        for (ColumnValues values : batch.columns().values()) {
            FeatureColumn column = values.column();
            byte[] name = names.get(c++);
            buf.putShort((short) name.length).put(name);
            buf.put((byte) column.scope().ordinal()).put((byte) column.type().ordinal());
            buf.putInt(column.width());
        }
        events(buf, batch);
        for (ColumnValues values : batch.columns().values()) {
            switch (values.column().type()) {
                case INT -> buf.asIntBuffer().put(values.ints());
                case LONG -> buf.asLongBuffer().put(values.longs());
                case FLOAT -> buf.asFloatBuffer().put(values.floats());
            }
            buf.position(
                    buf.position() + values.length() * bytesPer(values.column().type()));
        }
        return sealed(buf);
    }

    private static ByteBuffer allocate(long size, int events) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("micro-batch of " + events + " events is too large to encode");
        }
        return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void header(ByteBuffer buf, short version, MicroBatch batch) {
        buf.putInt(MAGIC)
                .putShort(version)
                .putShort((short) 0)
                .putInt(batch.size())
                .putInt(batch.events())
                .putLong(batch.createdAtMs());
    }

    private static void events(ByteBuffer buf, MicroBatch batch) {
        int n = batch.size();
        int m = batch.events();
        buf.asLongBuffer().put(batch.userIds());
        buf.position(buf.position() + n * 8);
        buf.asIntBuffer().put(batch.offsets());
        buf.position(buf.position() + (n + 1) * 4);
        buf.asIntBuffer().put(batch.firstTarget());
        buf.position(buf.position() + n * 4);
        buf.asLongBuffer().put(batch.items());
        buf.position(buf.position() + m * 8);
        buf.asIntBuffer().put(batch.actions());
        buf.position(buf.position() + m * 4);
        buf.asLongBuffer().put(batch.timestampsMs());
        buf.position(buf.position() + m * 8);
    }

    private static byte[] sealed(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    private static int bytesPer(ElementType type) {
        return type == ElementType.LONG ? 8 : 4;
    }

    private static long fixedSize(short version, int n, int m, int f, int u) {
        int header = HEADER + (version >= VERSION_FEATURES ? 4 : 0) + (version == VERSION_USER_FEATURES ? 4 : 0);
        return header + n * 8L + (n + 1) * 4L + n * 4L + m * 20L + (long) m * f * 4 + (long) n * u * 8 + 4;
    }

    /** Decodes and validates; throws {@link IllegalArgumentException} with the reason for anything else. */
    public static MicroBatch decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER + 4) {
            throw new IllegalArgumentException("not a micro-batch: "
                    + (bytes == null ? "no payload" : bytes.length + " bytes is shorter than the header"));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt();
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format("not a micro-batch: magic 0x%08x", magic));
        }
        short version = buf.getShort();
        if (version < VERSION_PLAIN || version > VERSION_COLUMNS) {
            throw new IllegalArgumentException("unsupported micro-batch version " + version + " (this reads "
                    + VERSION_PLAIN + " to " + VERSION_COLUMNS + ")");
        }
        buf.getShort();
        int n = buf.getInt();
        int m = buf.getInt();
        long createdAt = buf.getLong();
        // a sequence takes at least 16 bytes and an event 20, so counts the payload cannot hold are refused before
        // any array is sized by them, and the size sums below stay far from overflowing
        if (n < 0 || m < 0 || n > bytes.length / 16 || m > bytes.length / 20) {
            throw new IllegalArgumentException(
                    "corrupt micro-batch: " + n + " sequences, " + m + " events in " + bytes.length + " bytes");
        }
        List<FeatureColumn> columns = version == VERSION_COLUMNS
                ? directory(buf, n, m, bytes.length)
                : fixedColumns(buf, version, n, m, bytes);
        checkSum(bytes);
        try {
            long[] users = new long[n];
            int[] offsets = new int[n + 1];
            int[] firstTarget = new int[n];
            long[] items = new long[m];
            int[] actions = new int[m];
            long[] ts = new long[m];
            buf.asLongBuffer().get(users);
            buf.position(buf.position() + n * 8);
            buf.asIntBuffer().get(offsets);
            buf.position(buf.position() + (n + 1) * 4);
            buf.asIntBuffer().get(firstTarget);
            buf.position(buf.position() + n * 4);
            buf.asLongBuffer().get(items);
            buf.position(buf.position() + m * 8);
            buf.asIntBuffer().get(actions);
            buf.position(buf.position() + m * 4);
            buf.asLongBuffer().get(ts);
            buf.position(buf.position() + m * 8);
            Map<String, ColumnValues> values = new LinkedHashMap<>();
            for (FeatureColumn column : columns) {
                values.put(column.name(), read(buf, column, m, n));
            }
            return new MicroBatch(users, offsets, items, actions, ts, firstTarget, createdAt, values).validate();
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt micro-batch: truncated", e);
        }
    }

    /** The dense and user-feature columns of versions 1 to 3, after checking the payload's length. */
    private static List<FeatureColumn> fixedColumns(ByteBuffer buf, short version, int n, int m, byte[] bytes) {
        boolean withFeatures = version >= VERSION_FEATURES;
        boolean withUserFeatures = version == VERSION_USER_FEATURES;
        if (buf.remaining() < (withFeatures ? 4 : 0) + (withUserFeatures ? 4 : 0) + 4) {
            throw new IllegalArgumentException("corrupt micro-batch: truncated header");
        }
        int f = withFeatures ? buf.getInt() : 0;
        int u = withUserFeatures ? buf.getInt() : 0;
        if (f < 0 || u < 0 || (version == VERSION_FEATURES && f == 0) || (withUserFeatures && u == 0)) {
            throw new IllegalArgumentException("corrupt micro-batch: " + n + " sequences, " + m + " events, " + f
                    + " features per event" + (withUserFeatures ? ", " + u + " user-feature slots" : ""));
        }
        long expected = fixedSize(version, n, m, f, u);
        if (expected != bytes.length) {
            throw new IllegalArgumentException("corrupt micro-batch: " + n + " sequences and " + m + " events of "
                    + f + " features" + (withUserFeatures ? " and " + u + " user-feature slots" : "") + " need "
                    + expected + " bytes, got " + bytes.length);
        }
        List<FeatureColumn> columns = new ArrayList<>();
        if (f > 0) {
            columns.add(FeatureColumn.dense(f));
        }
        if (u > 0) {
            columns.add(FeatureColumn.userFeatures(u));
        }
        return columns;
    }

    /** Reads the column directory of version 4 and checks the payload's length against it. */
    private static List<FeatureColumn> directory(ByteBuffer buf, int n, int m, int length) {
        try {
            int count = buf.getShort();
            if (count < 0) {
                throw new IllegalArgumentException("corrupt micro-batch: " + count + " columns");
            }
            List<FeatureColumn> columns = new ArrayList<>(count);
            long expected = HEADER + 2 + n * 8L + (n + 1) * 4L + n * 4L + m * 20L + 4;
            for (int c = 0; c < count; c++) {
                int nameLength = buf.getShort();
                if (nameLength < 0 || nameLength > buf.remaining()) {
                    throw new IllegalArgumentException(
                            "corrupt micro-batch: column " + c + " has a name of " + nameLength + " bytes");
                }
                byte[] name = new byte[nameLength];
                buf.get(name);
                int scope = buf.get();
                int type = buf.get();
                int width = buf.getInt();
                if (scope < 0 || scope >= SCOPES.length || type < 0 || type >= TYPES.length) {
                    throw new IllegalArgumentException(
                            "corrupt micro-batch: column " + c + " has scope " + scope + " and type " + type);
                }
                FeatureColumn column;
                try {
                    column = new FeatureColumn(
                            new String(name, StandardCharsets.UTF_8), SCOPES[scope], TYPES[type], width);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("corrupt micro-batch: " + e.getMessage(), e);
                }
                if (columns.stream().anyMatch(other -> other.name().equals(column.name()))) {
                    throw new IllegalArgumentException("corrupt micro-batch: column " + column.name() + " twice");
                }
                columns.add(column);
                // checked one by one: 32767 columns of up to 2^61 bytes each could wrap the sum to the payload's length
                long valueBytes = column.valueCount(m, n) * bytesPer(column.type());
                if (valueBytes > length) {
                    throw new IllegalArgumentException("corrupt micro-batch: column " + column + " needs " + valueBytes
                            + " bytes for " + n + " sequences and " + m + " events, the payload has " + length);
                }
                expected += 2 + nameLength + 1 + 1 + 4 + valueBytes;
            }
            if (expected != length) {
                throw new IllegalArgumentException("corrupt micro-batch: " + n + " sequences and " + m
                        + " events with columns " + columns + " need " + expected + " bytes, got " + length);
            }
            return columns;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt micro-batch: truncated column directory", e);
        }
    }

    private static void checkSum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException("corrupt micro-batch: checksum mismatch");
        }
    }

    private static ColumnValues read(ByteBuffer buf, FeatureColumn column, int events, int sequences) {
        int count = Math.toIntExact(column.valueCount(events, sequences));
        ColumnValues values = ColumnValues.zeros(column, count / column.width());
        switch (column.type()) {
            case INT -> buf.asIntBuffer().get(values.ints());
            case LONG -> buf.asLongBuffer().get(values.longs());
            case FLOAT -> buf.asFloatBuffer().get(values.floats());
        }
        buf.position(buf.position() + count * bytesPer(column.type()));
        return values;
    }
}
