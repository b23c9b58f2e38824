package dev.hstu.jobs.train;

import dev.hstu.sink.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The model directory: one sub-directory per published version, {@code v-00000042}, each complete or absent.
 *
 * <p>A version is written under a temporary name, every file fsynced, its manifest written last, then renamed in
 * one atomic step and the parent fsynced, so a reader (the serving job) sees either the whole version or none of
 * it, even if the writer dies midway. Leftover temporary directories are ignored by readers and cleaned up here.
 */
public final class VersionDirectory {

    private static final String PREFIX = "v-";
    private static final String TMP = ".tmp-";

    private final Path root;

    public VersionDirectory(Path root) {
        this.root = root.toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    /** The highest complete version in the directory, if any. */
    public OptionalLong latestVersion() {
        return versions().stream().mapToLong(Long::longValue).max();
    }

    /**
     * Publishes version {@code version}: {@code writer} fills a fresh temporary directory, then this method seals
     * it (checksum + manifest) and renames it into place.
     */
    public ModelVersion publish(long version, Consumer<Path> writer, ManifestFields fields) {
        Path tmp = root.resolve(PREFIX + format(version) + TMP + UUID.randomUUID());
        Path target = root.resolve(PREFIX + format(version));
        try {
            Files.createDirectories(tmp);
            writer.accept(tmp);
            String checksum = checksum(tmp);
            ModelVersion manifest = new ModelVersion(
                    version,
                    fields.step(),
                    target.toString(),
                    System.currentTimeMillis(),
                    fields.meanLoss(),
                    fields.trainedTargets(),
                    fields.items(),
                    fields.finalVersion(),
                    checksum,
                    fields.sourcePartitions(),
                    fields.sourceOffsets(),
                    fields.maxEventTimeMs());
            Files.write(tmp.resolve(ModelVersion.MANIFEST), JsonCodec.toBytes(manifest));
            fsyncTree(tmp);
            if (Files.exists(target)) {
                throw new IllegalStateException("model version " + version + " already exists at " + target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("the model directory " + root + " does not support atomic renames", e);
            }
            fsync(root);
            return manifest;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot publish model version " + version + " to " + root, e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** Reads and verifies a version's manifest; throws if the directory is incomplete or its files changed. */
    public static ModelVersion verify(Path versionDir) {
        Path manifestFile = versionDir.resolve(ModelVersion.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalStateException("no complete model version at " + versionDir + " (manifest missing)");
        }
        try {
            ModelVersion manifest = JsonCodec.fromBytes(Files.readAllBytes(manifestFile), ModelVersion.class);
            String actual = checksum(versionDir);
            if (!actual.equals(manifest.checksum())) {
                throw new IllegalStateException("model version at " + versionDir + " fails its checksum: manifest "
                        + manifest.checksum() + ", files " + actual);
            }
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model version at " + versionDir, e);
        }
    }

    /** Deletes complete versions older than the newest {@code keep}, and stale temporary directories. */
    public void prune(int keep) {
        List<Long> all = versions();
        all.sort(Comparator.reverseOrder());
        for (int i = keep; i < all.size(); i++) {
            deleteQuietly(root.resolve(PREFIX + format(all.get(i))));
        }
        try (Stream<Path> children = Files.list(root)) {
            children.filter(p -> p.getFileName().toString().contains(TMP)).forEach(VersionDirectory::deleteQuietly);
        } catch (IOException e) {
            // Nothing to prune in a directory we cannot list; publishing will report the real problem.
        }
    }

    private List<Long> versions() {
        List<Long> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (Stream<Path> children = Files.list(root)) {
            children.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(PREFIX) && !n.contains(TMP))
                    .forEach(n -> {
                        try {
                            found.add(Long.parseLong(n.substring(PREFIX.length())));
                        } catch (NumberFormatException e) {
                            // Not ours; leave it alone.
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list model directory " + root, e);
        }
        return found;
    }

    static String checksum(Path dir) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(ModelVersion.MANIFEST))
                    .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                    .toList();
        }
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            digest.update(dir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try (InputStream in = Files.newInputStream(file)) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void fsyncTree(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            fsync(p);
        }
    }

    private static void fsync(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // Some file systems cannot open directories for fsync; the files themselves are synced.
            }
        } else {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    private static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Best effort: a leftover is ignored by readers and retried on the next prune.
                }
            });
        } catch (IOException e) {
            // As above.
        }
    }

    private static String format(long version) {
        return String.format("%08d", version);
    }

    /** The directory name of {@code version} inside the model directory. */
    public static String directoryName(long version) {
        return PREFIX + format(version);
    }

    /** What the publisher knows about the version besides its files. */
    public record ManifestFields(
            long step,
            double meanLoss,
            long trainedTargets,
            int items,
            boolean finalVersion,
            int[] sourcePartitions,
            long[] sourceOffsets,
            long maxEventTimeMs) {

        /** Fields of a version with no source position (the in-job trainer's position is in its checkpoint). */
        public ManifestFields(long step, double meanLoss, long trainedTargets, int items, boolean finalVersion) {
            this(step, meanLoss, trainedTargets, items, finalVersion, null, null, 0);
        }
    }
}
