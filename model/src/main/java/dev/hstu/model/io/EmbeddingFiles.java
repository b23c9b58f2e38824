package dev.hstu.model.io;

import dev.hstu.model.ModelFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Binary vector files, all little-endian: {@code .fbin} = int32 rows, int32 dim, then {@code
 * rows*dim} float32 row-major; {@code .u64bin} = one uint64 id per row. Files are written
 * atomically.
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
        ModelFiles.writeAtomically(file, out -> {
            ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(rows).putInt(dim);
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
        ModelFiles.writeAtomically(file, out -> {
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
            throw new IOException(file + ": header says " + rows + " x " + dim + " but the file has " + bytes.length + " bytes");
        }
        float[][] out = new float[rows][dim];
        for (float[] row : out) {
            buf.asFloatBuffer().get(row);
            buf.position(buf.position() + 4 * dim);
        }
        return out;
    }

    /**
     * Reads a {@code .u64bin} file.
     *
     * @param file the file
     * @return the ids
     * @throws IOException on a read error or a size that is not a multiple of 8
     */
    public static long[] readU64(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % 8 != 0) {
            throw new IOException(file + ": " + bytes.length + " bytes is not a whole number of uint64 ids");
        }
        long[] ids = new long[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(ids);
        return ids;
    }
}
