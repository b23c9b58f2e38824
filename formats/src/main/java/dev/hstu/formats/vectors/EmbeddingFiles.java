package dev.hstu.formats.vectors;

import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.io.InvalidBinaryFileException;
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
     * @throws InvalidBinaryFileException for a header that disagrees with the file's size
     * @throws IOException on a read error
     */
    public static float[][] readFbin(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] shape = checkedShape(file, buf, bytes.length, Float.BYTES, "floats");
        float[][] out = new float[shape[0]][shape[1]];
        for (float[] row : out) {
            buf.asFloatBuffer().get(row);
            buf.position(buf.position() + 4 * row.length);
        }
        return out;
    }

    /**
     * The header's {@code (rows, cols)}, checked against the file's size before anything is allocated: a header is
     * data, and {@code (2^31-1, 0)} on an 8-byte file would otherwise ask for two billion empty rows.
     */
    private static int[] checkedShape(Path file, ByteBuffer buf, long size, int elementBytes, String what)
            throws InvalidBinaryFileException {
        if (size < 8) {
            throw new InvalidBinaryFileException(file, "shorter than the 8-byte header (" + size + " bytes)");
        }
        long rows = Integer.toUnsignedLong(buf.getInt());
        long cols = Integer.toUnsignedLong(buf.getInt());
        String header = "header says " + rows + " x " + cols + " " + what;
        if (rows > 0 && cols == 0) {
            throw new InvalidBinaryFileException(file, header + ": rows of no " + what + " are not of the format");
        }
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new InvalidBinaryFileException(file, header + ": more than 2^31-1 rows or columns");
        }
        // divided, not multiplied: elementBytes * rows * cols can pass 2^63 and wrap to the file's size
        long data = size - 8;
        long rowBytes = elementBytes * rows;
        if (rows == 0 ? data != 0 : data % rowBytes != 0 || data / rowBytes != cols) {
            throw new InvalidBinaryFileException(file, header + " but the file has " + size + " bytes");
        }
        return new int[] {(int) rows, (int) cols};
    }

    /**
     * Reads a {@code .u64bin} id file: the seed layout, or a headerless one of earlier versions.
     * The header is recognised when it says {@code (n, 1)} with {@code n} the ids that follow it;
     * a headerless file would have to start with the id {@code 2^32 + n - 1} to look like that.
     *
     * @param file the file
     * @return the ids
     * @throws InvalidBinaryFileException for a size that fits neither layout
     * @throws IOException on a read error
     */
    public static long[] readU64(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % 8 != 0) {
            throw new InvalidBinaryFileException(file, bytes.length + " bytes is not a whole number of uint64 ids");
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
     * @throws InvalidBinaryFileException for a header that disagrees with the file's size
     * @throws IOException on a read error
     */
    public static long[][] readU64Matrix(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] shape = checkedShape(file, buf, bytes.length, Long.BYTES, "ids");
        long[][] out = new long[shape[0]][shape[1]];
        for (long[] row : out) {
            buf.asLongBuffer().get(row);
            buf.position(buf.position() + 8 * row.length);
        }
        return out;
    }
}
