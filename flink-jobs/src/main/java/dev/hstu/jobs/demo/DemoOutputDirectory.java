package dev.hstu.jobs.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's output directory, emptied at the start of every run: only a directory the demo made (its marker file,
 * or the {@code summary.json} of an older run) is ever deleted, so that {@code --set demo.outputDir=.} or a typo
 * naming a home or source directory is refused instead of wiped.
 */
final class DemoOutputDirectory {

    /** Written into the directory when the demo creates it. */
    static final String MARKER = ".hstu-demo-output";

    /** What every finished run of the demo writes, also before the marker existed. */
    static final String SUMMARY = "summary.json";

    private DemoOutputDirectory() {}

    /**
     * Empties the directory (or creates it) and marks it as the demo's.
     *
     * @param dir the absolute output directory
     * @throws IOException if it cannot be emptied or created
     * @throws IllegalArgumentException if it exists, holds anything, and is not the demo's
     */
    static void recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("demo.outputDir " + dir + " is a file, not a directory");
            }
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER)) && !Files.exists(dir.resolve(SUMMARY))) {
                throw new IllegalArgumentException("demo.outputDir " + dir + " is not empty and was not made by"
                        + " hstu demo (no " + MARKER + " in it); the demo deletes its output directory at the start,"
                        + " so give a new or empty directory, or delete this one yourself");
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(MARKER));
    }
}
