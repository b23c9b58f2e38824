package dev.hstu.bench.jmh;

import dev.hstu.bench.BenchReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

/**
 * Runs the JMH micro-benchmarks of this package (the hot small paths: micro-batch codec, sequence state update, CTR
 * decay, SIMD dot product and top-K scan) with short settings so that the whole set finishes in a few minutes, and
 * writes the scores with their 99.9% confidence half-widths.
 *
 * <p>Usage: {@code bench/run jmh [--forks 1] [--warmup 3] [--iterations 5] [--seconds 1] [--include REGEX]}
 */
public final class JmhBenchmarks {

    private JmhBenchmarks() {}

    public static void main(String[] args) throws Exception {
        Path results = null;
        int forks = 1;
        int warmup = 3;
        int iterations = 5;
        int seconds = 1;
        String include = JmhBenchmarks.class.getPackageName() + "\\..*Bench\\..*";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--forks" -> forks = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--include" -> include = args[++i];
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + " (use --results FILE --forks N --warmup N --iterations N --seconds S --include REGEX)");
            }
        }
        if (results == null) {
            throw new IllegalArgumentException("--results FILE is required (bench/run passes it)");
        }
        String header = BenchReport.header(
                "jmh: micro-benchmarks of hot small paths", BenchReport.command(JmhBenchmarks.class, args));
        Options options = new OptionsBuilder()
                .include(include)
                .forks(forks)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .threads(1)
                .shouldFailOnError(true)
                .build();
        long t0 = System.nanoTime();
        List<RunResult> runs = new ArrayList<>(new Runner(options).run());
        double minutes = (System.nanoTime() - t0) / 60e9;
        runs.sort(Comparator.comparing(r -> r.getParams().getBenchmark()));

        StringBuilder md = new StringBuilder(header);
        md.append(String.format(
                Locale.ROOT,
                "- JMH %s; %d fork(s), %d warm-up iteration(s) and %d measured "
                        + "iteration(s) of %d s each, 1 thread; mode average time per operation; error = half-width of the "
                        + "99.9%% confidence interval over the measured iterations (JMH's own); forked JVMs inherit this "
                        + "JVM's options%n",
                Version.getPlainVersion(),
                forks,
                warmup,
                iterations,
                seconds,
                seconds));
        md.append(String.format(Locale.ROOT, "- whole run: %.1f minutes%n", minutes));
        md.append("- these are short settings for a quick reading on a shared machine: an error above ~10% of the "
                + "score means the run was disturbed; rerun with more forks and iterations before relying on a "
                + "small difference\n\n");
        Set<String> classes = new LinkedHashSet<>();
        md.append("| benchmark | score | ± error | unit | samples |\n|---|---:|---:|---|---:|\n");
        for (RunResult run : runs) {
            String name = run.getParams().getBenchmark();
            Result<?> primary = run.getPrimaryResult();
            classes.add(name.substring(0, name.lastIndexOf('.')));
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %d |%n",
                    shortName(name),
                    number(primary.getScore()),
                    number(primary.getScoreError()),
                    primary.getScoreUnit(),
                    primary.getSampleCount()));
        }
        md.append("\n## Workloads\n\n");
        for (String cls : classes) {
            md.append("- ")
                    .append(cls.substring(cls.lastIndexOf('.') + 1))
                    .append(": ")
                    .append(workload(cls))
                    .append('\n');
        }
        md.append('\n').append(BenchReport.loadAtEnd());
        BenchReport.write(results, md.toString());
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Each benchmark class states what it runs in a WORKLOAD constant, so the description lives with the code. */
    private static String workload(String className) {
        try {
            return (String) Class.forName(className).getField("WORKLOAD").get(null);
        } catch (ReflectiveOperationException e) {
            return "(no description)";
        }
    }
}
