package dev.hstu.formats.store;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One writer per model directory: an exclusive operating-system lock on {@code <modelDir>/.writer.lock}, held for as
 * long as a trainer writes versions there. Two trainers on one directory would delete each other's temporary
 * directories and snapshots and publish interleaved versions; the second is refused at start instead, naming the
 * first.
 *
 * <p>The operating system releases the lock when its process ends, also under {@code kill -9}, so a crashed trainer
 * never blocks its successor and there is no lease to expire. A successor in the same JVM (a Flink task restarted
 * after a failure, while the failed one is still closing) waits up to the given time for the lock. The lock file's
 * text says who holds it, for the refusal's message; the lock, not the text, is what counts. Local file systems
 * honour these locks; a network file system may not (docs/operations.md).
 */
public final class ModelDirectoryLock implements AutoCloseable {

    /** The lock file's name inside the model directory. */
    public static final String FILE = ".writer.lock";

    private static final Duration POLL = Duration.ofMillis(100);

    private final FileChannel channel;
    private final FileLock lock;

    private ModelDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another writer holds the directory. */
    public static final class LockedException extends IOException {
        LockedException(String message) {
            super(message);
        }
    }

    /**
     * @param modelDir the model directory (created when absent)
     * @param holder what is writing, for the message another writer gets (e.g. "streaming trainer")
     * @param wait how long to wait for a writer that is releasing the directory
     * @return the held lock; close it when the writer stops
     * @throws LockedException if another writer still holds the directory after {@code wait}, naming it
     * @throws IOException if the lock file cannot be created or written
     */
    public static ModelDirectoryLock acquire(Path modelDir, String holder, Duration wait) throws IOException {
        Files.createDirectories(modelDir);
        Path file = modelDir.resolve(FILE);
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = null;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                // another writer of this JVM holds it: treated like one of another process
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock != null) {
                ModelDirectoryLock held = new ModelDirectoryLock(channel, lock);
                held.describe(holder);
                return held;
            }
            String current = readHolder(channel);
            channel.close();
            if (!Instant.now().isBefore(deadline)) {
                throw new LockedException("model directory " + modelDir + " is being written by another trainer ("
                        + current + "); stop it, or give this one another directory (training.modelDir / --out)");
            }
            sleep();
        }
    }

    private void describe(String holder) throws IOException {
        String text = holder + ", pid " + ProcessHandle.current().pid() + " on " + hostName() + ", since "
                + Instant.now() + " (" + ManagementFactory.getRuntimeMXBean().getName() + ")\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the model directory's lock", e);
        }
    }

    /** Releases the directory; the file stays, its text describing the last holder. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
