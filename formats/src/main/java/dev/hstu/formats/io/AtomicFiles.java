package dev.hstu.formats.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way every writer of this module puts a file on disk: into a temporary sibling, fsynced, then renamed over
 * the destination, so a reader sees the old file or the new one, never a partial one, even after a crash.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Writes the content of one file. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out the stream to write to
         * @throws IOException on failure
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * @param file destination
     * @param writer produces the content
     * @throws IOException on failure (the temporary file is removed)
     */
    public static void write(Path file, Writer writer) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                writer.write(out);
            }
            fsync(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * @param file destination
     * @param content the whole content
     * @throws IOException on failure
     */
    public static void write(Path file, byte[] content) throws IOException {
        write(file, out -> out.write(content));
    }

    /**
     * Forces a file's content, or a directory's entries, to the device. Some file systems cannot open a directory
     * for that; its files are synced one by one by their writers, so that case is let go.
     *
     * @param path a file or directory
     * @throws IOException when a file cannot be synced
     */
    public static void fsync(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // see above
            }
        } else {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }
}
