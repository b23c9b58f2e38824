package dev.hstu.model.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Versioned model directories {@code <root>/v-00000001, v-00000002, ...}. A version is built
 * under a hidden temporary name and renamed into place when complete, so a reader listing the
 * root never sees a partial version.
 */
public final class ModelVersions {

    private static final Pattern VERSION = Pattern.compile("v-(\\d{8})");

    private ModelVersions() {}

    /**
     * @param root the directory holding versions
     * @return the highest version number present, 0 if none
     * @throws IOException on a listing error
     */
    public static int latest(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int max = 0;
        try (Stream<Path> children = Files.list(root)) {
            for (Path p : (Iterable<Path>) children::iterator) {
                Matcher m = VERSION.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    max = Math.max(max, Integer.parseInt(m.group(1)));
                }
            }
        }
        return max;
    }

    /**
     * @param root the directory holding versions
     * @param version version number
     * @return {@code root/v-%08d}
     */
    public static Path dir(Path root, int version) {
        return root.resolve(String.format(Locale.ROOT, "v-%08d", version));
    }

    /**
     * @param root the directory holding versions
     * @param version the version being built
     * @return the temporary directory to build it in (created empty)
     * @throws IOException on failure
     */
    public static Path staging(Path root, int version) throws IOException {
        Path tmp = root.resolve(String.format(Locale.ROOT, ".v-%08d.tmp", version));
        if (Files.exists(tmp)) {
            try (Stream<Path> walk = Files.walk(tmp)) {
                for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(tmp);
    }

    /**
     * @param staging the completed temporary directory
     * @param root the directory holding versions
     * @param version its version number
     * @return the published directory
     * @throws IOException if the version already exists or the rename fails
     */
    public static Path publish(Path staging, Path root, int version) throws IOException {
        return Files.move(staging, dir(root, version), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Resolves a {@code --model} argument: a version directory itself, or a root whose newest
     * version is taken.
     *
     * @param path the argument
     * @return the model directory
     * @throws IOException if neither a model nor a root with versions is found
     */
    public static Path resolve(Path path) throws IOException {
        if (Files.exists(path.resolve(dev.hstu.model.ModelFiles.CONFIG))) {
            return path;
        }
        int latest = latest(path);
        if (latest == 0) {
            throw new IOException(path + " is neither a model directory (no " + dev.hstu.model.ModelFiles.CONFIG
                    + ") nor a directory of versions v-NNNNNNNN");
        }
        return dir(path, latest);
    }
}
