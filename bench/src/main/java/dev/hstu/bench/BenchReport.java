package dev.hstu.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The header every results file carries: what ran, when, on what machine and under what load, so a figure can be
 * judged and reproduced.
 */
public final class BenchReport {

    private BenchReport() {}

    /** The command as bench/run names it (set in HSTU_BENCH_COMMAND), or the main class when started directly. */
    public static String command(Class<?> main, String[] args) {
        String viaScript = System.getenv("HSTU_BENCH_COMMAND");
        if (viaScript != null && !viaScript.isBlank()) {
            return viaScript;
        }
        return "java " + main.getName() + " " + String.join(" ", args);
    }

    /** Markdown lines: date, command, cores, memory, JVM, load average. */
    public static String header(String title, String command) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long totalMemory = totalMemoryBytes();
        return "# " + title + "\n\n"
                + "- date: " + Instant.now() + "\n"
                + "- command: `" + command + "`\n"
                + "- machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + (totalMemory > 0 ? String.format("%.1f GiB RAM", totalMemory / (double) (1L << 30)) : "RAM unknown")
                + ", Java " + System.getProperty("java.version") + ", max heap "
                + String.format("%.1f GiB", Runtime.getRuntime().maxMemory() / (double) (1L << 30)) + "\n"
                + "- load average at start: " + String.format("%.2f", os.getSystemLoadAverage())
                + " (the machine may be shared; figures are what this run got)\n";
    }

    /** A line for the end of a results file: the load the run ended under, next to the one it started under. */
    public static String loadAtEnd() {
        return String.format(
                "- load average at end: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * Writes a results file and its JSON twin ({@link ResultsTwin}) beside it.
     *
     * @param results {@code bench/results/name.md}
     * @param markdown the results
     * @throws IOException when either cannot be written
     */
    public static void write(Path results, String markdown) throws IOException {
        Path parent = results.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(results, markdown, StandardCharsets.UTF_8);
        System.out.println("wrote " + results);
        System.out.println("wrote " + ResultsTwin.write(results, markdown));
    }

    private static long totalMemoryBytes() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return -1;
    }
}
