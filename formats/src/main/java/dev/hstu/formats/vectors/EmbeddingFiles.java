package dev.hstu.formats.vectors;

import dev.hstu.formats.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Binary vector files in the seed's layouts, all little-endian, written atomically:
 *
 * <ul>
 *   <li>{@code .fbin}: uint32 rows, uint32 dim, then {@code rows*dim} float32, row-major;
 *   <li>{@code .u64bin} ids: uint32 n, uint32 1, then n uint64 (the seed writes ids as an {@code
 *       (n, 1)} matrix with the same header as its vectors);
 *   <li>a top-k result matrix ({@code id100.u64bin} in the seed): uint32 queries, uint32 k, then
 *       {@code queries*k} uint64, row-major.
 * </ul>
 *
 * <p>Id files of earlier versions of this project had no header; {@link #readU64} still reads them.
 */
public final class EmbeddingFiles {

    private static final int CHUNK = 1 << 16;

    private EmbeddingFiles() {}

    /**
     * @param file destination
     * @param vectors {@code rows*dim} floats, row-major
     * @param dim floats per row
     * @throws IOException on failure
     */
    public static void writeFbin(Path file, float[] vectors, int dim) throws IOException {
        if (dim < 1 || vectors.length % dim != 0) {
            throw new IllegalArgumentException("fbin: " + vectors.length + " floats are not whole rows of dim " + dim);
        }
        int rows = vectors.length / dim;
        AtomicFiles.write(file, out -> {
            ByteBuffer header = ByteBuffer.allocate(8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(rows)
                    .putInt(dim);
            out.write(header.array());
            ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < vectors.length; from += CHUNK) {
                int n = Math.min(CHUNK, vectors.length - from);
                buf.clear();
                buf.asFloatBuffer().put(vectors, from, n);
                out.write(buf.array(), 0, n * 4);
            }
        });
    }

    /**
     * @param file destination
     * @param ids one id per row (written as unsigned 64-bit)
     * @throws IOException on failure
     */
    public static void writeU64(Path file, long[] ids) throws IOException {
        writeU64Matrix(file, ids, 1);
    }

    /**
     * @param file destination
     * @param ids {@code rows*cols} ids, row-major (written as unsigned 64-bit)
     * @param cols ids per row, e.g. k of a top-k result
     * @throws IOException on failure
     */
    public static void writeU64Matrix(Path file, long[] ids, int cols) throws IOException {
        if (cols < 1 || ids.length % cols != 0) {
            throw new IllegalArgumentException("u64bin: " + ids.length + " ids are not whole rows of " + cols);
        }
        int rows = ids.length / cols;
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(rows)
                    .putInt(cols)
                    .array());
            ByteBuffer buf = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < ids.length; from += CHUNK) {
                int n = Math.min(CHUNK, ids.length - from);
                buf.clear();
                buf.asLongBuffer().put(ids, from, n);
                out.write(buf.array(), 0, n * 8);
            }
        });
    }

    /**
     * Reads a {@code .fbin} file.
     *
     * @param file the file
     * @return {@code [rows][dim]}
     * @throws IOException on a read error or a size that disagrees with the header
     */
    public static float[][] readFbin(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IOException(file + ": shorter than the 8-byte fbin header");
        }
        int rows = buf.getInt();
        int dim = buf.getInt();
        if (rows < 0 || dim < 0 || bytes.length != 8L + 4L * rows * dim) {
            throw new IOException(
                    file + ": header says " + rows + " x " + dim + " but the file has " + bytes.length + " bytes");
        }
        float[][] out = new float[rows][dim];
        for (float[] row : out) {
            buf.asFloatBuffer().get(row);
            buf.position(buf.position() + 4 * dim);
        }
        return out;
    }

    /**
     * Reads a {@code .u64bin} id file: the seed layout, or a headerless one of earlier versions.
     * The header is recognised when it says {@code (n, 1)} with {@code n} the ids that follow it;
     * a headerless file would have to start with the id {@code 2^32 + n - 1} to look like that.
     *
     * @param file the file
     * @return the ids
     * @throws IOException on a read error or a size that fits neither layout
     */
    public static long[] readU64(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % 8 != 0) {
            throw new IOException(file + ": " + bytes.length + " bytes is not a whole number of uint64 ids");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        boolean header = bytes.length >= 8
                && Integer.toUnsignedLong(buf.getInt(0)) == (bytes.length - 8) / 8
                && buf.getInt(4) == 1;
        if (header) {
            buf.position(8);
        }
        long[] ids = new long[buf.remaining() / 8];
        buf.asLongBuffer().get(ids);
        return ids;
    }

    /**
     * Reads a top-k result matrix written by {@link #writeU64Matrix}.
     *
     * @param file the file
     * @return {@code [rows][cols]}
     * @throws IOException on a read error or a size that disagrees with the header
     */
    public static long[][] readU64Matrix(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long rows = bytes.length < 8 ? -1 : Integer.toUnsignedLong(buf.getInt());
        long cols = bytes.length < 8 ? -1 : Integer.toUnsignedLong(buf.getInt());
        if (rows < 0 || bytes.length != 8 + 8 * rows * cols) {
            throw new IOException(
                    file + ": header says " + rows + " x " + cols + " ids but the file has " + bytes.length + " bytes");
        }
        long[][] out = new long[(int) rows][(int) cols];
        for (long[] row : out) {
            buf.asLongBuffer().get(row);
            buf.position(buf.position() + 8 * row.length);
        }
        return out;
    }
}
