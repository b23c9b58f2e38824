package dev.hstu.jobs.batch;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The compact binary form of a {@link MicroBatch} on the {@code training-batches} topic, little-endian:
 * <pre>
 *   int32 magic "HSTB", int16 version, int16 flags (0), int32 sequences n, int32 events m, int64 createdAtMs,
 *   [version 2, 3: int32 featureDim f] [version 3: int32 userFeatureSlots u]
 *   int64[n] userIds, int32[n+1] offsets, int32[n] firstTarget,
 *   int64[m] items, int32[m] actions, int64[m] timestampsMs, [version 2, 3: float32[m*f] features]
 *   [version 3: int64[n*u] user-feature keys]
 *   int32 CRC32C of everything before it
 * </pre>
 * About 20 bytes per event plus 4 per feature, and 8 per user-feature slot of a sequence; a truncated, altered or
 * foreign record is refused with a reason, never half-read. Each batch is written in the oldest version that holds
 * it (1 without features, 2 with dense features only, 3 with user features), so trainers that predate a feature
 * still read what a job without it sends.
 */
public final class MicroBatchCodec {

    static final int MAGIC = 0x42545348; // "HSTB" as little-endian bytes
    static final short VERSION_PLAIN = 1;
    static final short VERSION_FEATURES = 2;
    static final short VERSION_USER_FEATURES = 3;
    private static final int HEADER = 4 + 2 + 2 + 4 + 4 + 8;

    private MicroBatchCodec() {}

    public static byte[] encode(MicroBatch batch) {
        int n = batch.size();
        int m = batch.events();
        int f = batch.featureDim();
        int u = batch.userFeatureSlots();
        short version = u > 0 ? VERSION_USER_FEATURES : f > 0 ? VERSION_FEATURES : VERSION_PLAIN;
        boolean withFeatures = version >= VERSION_FEATURES;
        long size = size(version, n, m, f, u);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("micro-batch of " + m + " events is too large to encode");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC)
                .putShort(version)
                .putShort((short) 0)
                .putInt(n)
                .putInt(m)
                .putLong(batch.createdAtMs());
        if (withFeatures) {
            buf.putInt(f);
        }
        if (version == VERSION_USER_FEATURES) {
            buf.putInt(u);
        }
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
        if (withFeatures) {
            buf.asFloatBuffer().put(batch.features());
            buf.position(buf.position() + m * f * 4);
        }
        if (version == VERSION_USER_FEATURES) {
            buf.asLongBuffer().put(batch.userFeatures());
            buf.position(buf.position() + n * u * 8);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    private static long size(short version, int n, int m, int f, int u) {
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
        if (version < VERSION_PLAIN || version > VERSION_USER_FEATURES) {
            throw new IllegalArgumentException("unsupported micro-batch version " + version + " (this reads "
                    + VERSION_PLAIN + " to " + VERSION_USER_FEATURES + ")");
        }
        buf.getShort();
        int n = buf.getInt();
        int m = buf.getInt();
        long createdAt = buf.getLong();
        boolean withFeatures = version >= VERSION_FEATURES;
        boolean withUserFeatures = version == VERSION_USER_FEATURES;
        if (buf.remaining() < (withFeatures ? 4 : 0) + (withUserFeatures ? 4 : 0) + 4) {
            throw new IllegalArgumentException("corrupt micro-batch: truncated header");
        }
        int f = withFeatures ? buf.getInt() : 0;
        int u = withUserFeatures ? buf.getInt() : 0;
        if (n < 0
                || m < 0
                || f < 0
                || u < 0
                || (version == VERSION_FEATURES && f == 0)
                || (withUserFeatures && u == 0)) {
            throw new IllegalArgumentException("corrupt micro-batch: " + n + " sequences, " + m + " events, " + f
                    + " features per event" + (withUserFeatures ? ", " + u + " user-feature slots" : ""));
        }
        long expected = size(version, n, m, f, u);
        if (expected != bytes.length) {
            throw new IllegalArgumentException("corrupt micro-batch: " + n + " sequences and " + m + " events of "
                    + f + " features" + (withUserFeatures ? " and " + u + " user-feature slots" : "") + " need "
                    + expected + " bytes, got " + bytes.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException("corrupt micro-batch: checksum mismatch");
        }
        try {
            long[] users = new long[n];
            int[] offsets = new int[n + 1];
            int[] firstTarget = new int[n];
            long[] items = new long[m];
            int[] actions = new int[m];
            long[] ts = new long[m];
            float[] features = new float[m * f];
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
            buf.asFloatBuffer().get(features);
            buf.position(buf.position() + m * f * 4);
            long[] userFeatures = new long[n * u];
            buf.asLongBuffer().get(userFeatures);
            return new MicroBatch(
                            users, offsets, items, actions, ts, features, f, firstTarget, createdAt, userFeatures, u)
                    .validate();
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt micro-batch: truncated", e);
        }
    }
}
