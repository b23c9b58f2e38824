package dev.hstu.formats.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Owns the model store: a root directory with one sub-directory per published version, {@code v-00000042}, each
 * complete or absent. The one store of the project, for the offline {@code hstu train} and the streaming trainers
 * alike; what goes into a version is the caller's (a {@link Contents} callback, see {@link ModelFiles} for the names
 * the model uses), the store only knows the layout.
 *
 * <p>A version is written under a temporary name, every file fsynced, its {@link ModelVersion#MANIFEST} (with a
 * checksum over the files) written last, then renamed in one atomic step and the root fsynced, so a reader (the
 * serving job, {@code hstu predict}) sees the whole version or none of it, even if the writer dies midway. Leftover
 * temporary directories are ignored by readers and removed by {@link #prune}.
 *
 * <p>Versions written before the store had one layout, by the offline {@code hstu train}, have no manifest; {@link
 * #resolve} still reads them (there is no checksum to verify), the streaming readers ({@link #verify}) do not.
 */
public final class ModelStore {

    private static final Pattern VERSION = Pattern.compile("v-(\\d{8,})");
    private static final String TMP = ".tmp-";
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path root;

    /** @param root the directory holding the versions (created on the first publish) */
    public ModelStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** @return the directory holding the versions */
    public Path root() {
        return root;
    }

    /** What a publisher puts into a version directory. */
    @FunctionalInterface
    public interface Contents {
        /**
         * @param dir the fresh, empty (temporary) version directory
         * @return what the manifest records besides the files
         * @throws IOException on failure: nothing is published
         */
        ManifestFields write(Path dir) throws IOException;
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

    /** @return the highest version in the store, if any */
    public OptionalLong latestVersion() {
        return versions().stream().mapToLong(Long::longValue).max();
    }

    /** @return the version after the highest one, 1 for an empty store */
    public long nextVersion() {
        return latestVersion().orElse(0) + 1;
    }

    /**
     * @param version a version number
     * @return its directory (which may not exist)
     */
    public Path versionDir(long version) {
        return root.resolve(directoryName(version));
    }

    /**
     * Publishes {@code version}: {@code contents} fills a fresh temporary directory, then the store seals it
     * (checksum + manifest), fsyncs it and renames it into place.
     *
     * @return the manifest written
     * @throws IllegalStateException if the version exists already
     * @throws UncheckedIOException on failure; nothing is left behind
     */
    public ModelVersion publish(long version, Contents contents) {
        Path tmp = root.resolve(directoryName(version) + TMP + UUID.randomUUID());
        Path target = versionDir(version);
        try {
            Files.createDirectories(tmp);
            ManifestFields fields = contents.write(tmp);
            ModelVersion manifest = new ModelVersion(
                    version,
                    fields.step(),
                    target.toString(),
                    System.currentTimeMillis(),
                    fields.meanLoss(),
                    fields.trainedTargets(),
                    fields.items(),
                    fields.finalVersion(),
                    checksum(tmp),
                    fields.sourcePartitions(),
                    fields.sourceOffsets(),
                    fields.maxEventTimeMs());
            Files.write(tmp.resolve(ModelVersion.MANIFEST), JSON.writeValueAsBytes(manifest));
            fsyncTree(tmp);
            if (Files.exists(target)) {
                throw new IllegalStateException("model version " + version + " already exists at " + target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("the model directory " + root + " does not support atomic renames", e);
            }
            AtomicFiles.fsync(root);
            return manifest;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot publish model version " + version + " to " + root, e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Reads and verifies a version's manifest.
     *
     * @param versionDir a version directory
     * @return its manifest
     * @throws IllegalStateException if the directory is incomplete (no manifest) or its files changed
     */
    public static ModelVersion verify(Path versionDir) {
        Path manifestFile = versionDir.resolve(ModelVersion.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalStateException("no complete model version at " + versionDir + " (manifest missing)");
        }
        try {
            ModelVersion manifest = JSON.readValue(Files.readAllBytes(manifestFile), ModelVersion.class);
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

    /**
     * Resolves a {@code --model} argument: a version directory itself, or a store whose newest version is taken. A
     * version with a manifest is verified; one without (the offline layout before the store) is taken as it is.
     *
     * @param path the argument
     * @return the version directory
     * @throws IOException if neither a version nor a store with versions is found
     * @throws IllegalStateException if the version fails its checksum
     */
    public static Path resolve(Path path) throws IOException {
        Path dir = isVersion(path) ? path : null;
        if (dir == null) {
            OptionalLong latest = new ModelStore(path).latestVersion();
            if (latest.isEmpty()) {
                throw new IOException(path + " is neither a model version (no " + ModelVersion.MANIFEST + " or "
                        + ModelFiles.CONFIG + ") nor a store of versions v-NNNNNNNN");
            }
            dir = path.resolve(directoryName(latest.getAsLong()));
        }
        if (Files.exists(dir.resolve(ModelVersion.MANIFEST))) {
            verify(dir);
        }
        return dir;
    }

    private static boolean isVersion(Path dir) {
        return Files.isRegularFile(dir.resolve(ModelVersion.MANIFEST))
                || Files.isRegularFile(dir.resolve(ModelFiles.CONFIG));
    }

    /**
     * Deletes versions older than the newest {@code keep}, and stale temporary directories.
     *
     * @param keep versions to keep
     */
    public void prune(int keep) {
        List<Long> all = versions();
        all.sort(Comparator.reverseOrder());
        for (int i = keep; i < all.size(); i++) {
            deleteQuietly(versionDir(all.get(i)));
        }
        try (Stream<Path> children = Files.list(root)) {
            children.filter(p -> p.getFileName().toString().contains(TMP)).forEach(ModelStore::deleteQuietly);
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
            for (Path p : (Iterable<Path>) children::iterator) {
                Matcher m = VERSION.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    found.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list model directory " + root, e);
        }
        return found;
    }

    /** @return the directory name of {@code version} inside the store */
    public static String directoryName(long version) {
        return String.format(Locale.ROOT, "v-%08d", version);
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
            AtomicFiles.fsync(p);
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
}
