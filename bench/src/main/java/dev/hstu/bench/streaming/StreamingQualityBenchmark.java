package dev.hstu.bench.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.bench.BenchReport;
import dev.hstu.bench.LineChart;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.demo.DemoRunner;
import dev.hstu.jobs.demo.PrequentialEvaluation;
import dev.hstu.model.cli.TrainCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code bench/run streaming-quality}: the model the jobs train from the stream against {@code hstu train} on the
 * same log with the same model settings. Runs {@code hstu demo} as configured (conf/local.yaml plus {@code --set}):
 * its leave-one-out HR@10 of the lists serving emitted last, and its prequential hit rate (each streamed event against
 * the user's list emitted before it, {@link PrequentialEvaluation}) over the stream, charted; then {@code hstu train}
 * on the same ratings with the demo's model section, whose test target is the same held-out last rating per user
 * (its training part also leaves out the one before, its validation target).
 */
public final class StreamingQualityBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamingQualityBenchmark() {}

    private record Options(
            Path results,
            Map<String, String> overrides,
            int epochs,
            int patience,
            int windowStride,
            int batchSize,
            boolean reference) {

        static Options parse(String[] args) {
            Path results = Path.of("bench/results/streaming-quality.md");
            Map<String, String> overrides = new LinkedHashMap<>();
            int epochs = 20;
            int patience = 8;
            int stride = 25;
            int batch = 32;
            boolean reference = true;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--results" -> results = Path.of(args[++i]);
                    case "--set" -> {
                        String kv = args[++i];
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + kv + "'");
                        }
                        overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    case "--reference-epochs" -> epochs = Integer.parseInt(args[++i]);
                    case "--reference-patience" -> patience = Integer.parseInt(args[++i]);
                    case "--reference-window-stride" -> stride = Integer.parseInt(args[++i]);
                    case "--reference-batch-size" -> batch = Integer.parseInt(args[++i]);
                    case "--no-reference" -> reference = false;
                    default ->
                        throw new IllegalArgumentException("unknown argument " + args[i]
                                + " (--results FILE, --set KEY=VALUE, --reference-epochs N, --reference-patience N,"
                                + " --reference-window-stride N, --reference-batch-size N, --no-reference)");
                }
            }
            return new Options(results, overrides, epochs, patience, stride, batch, reference);
        }
    }

    /** What {@code hstu train} reached: test metrics at the best validation epoch. */
    private record Reference(double hr10, double ndcg10, int bestEpoch, int epochs, double trainSeconds) {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String command = BenchReport.command(StreamingQualityBenchmark.class, args);
        String header = BenchReport.header("Streaming quality: the jobs' model against hstu train", command);
        // relative to the repository, as conf/local.yaml's own outputDir: the results file echoes the config
        Path work = Path.of("target/bench/streaming-quality");
        Map<String, String> overrides = new LinkedHashMap<>(options.overrides());
        overrides.putIfAbsent("demo.outputDir", work.resolve("demo").toString());
        JobConfig config = ConfigLoader.load(Path.of("conf/local.yaml"), overrides);

        long t0 = System.nanoTime();
        DemoRunner.Summary demo = new DemoRunner(System.out).run(config);
        double demoSeconds = (System.nanoTime() - t0) / 1e9;
        Reference reference = options.reference() ? reference(config, options, work) : null;

        StringBuilder md = new StringBuilder(header);
        md.append("- seeds: model ").append(config.model().runtime().seed()).append(" (both), one run each\n");
        md.append(BenchReport.loadAtEnd());
        md.append("\nData: `")
                .append(config.demo().ratingsCsv())
                .append("`, ")
                .append(String.format(Locale.ROOT, "%,d", demo.eventsStreamed()))
                .append(" events streamed (each user's last rating held out), ")
                .append(demo.users())
                .append(" users. The demo ")
                .append(demo.complete() ? "finished" : "stopped at demo.timeoutSeconds")
                .append(String.format(Locale.ROOT, " in %.0f s: ", demoSeconds))
                .append(schedule(config, demo.prequential()))
                .append(demo.trainSteps())
                .append(" steps in all.\n");

        md.append("\n## Held-out last rating per user (leave-one-out, full ranking, history excluded)\n\n");
        md.append("| model | HR@10 | NDCG@10 | note |\n| --- | --- | --- | --- |\n");
        md.append(row(
                "jobs (hstu demo)",
                demo.model().hitRate(),
                demo.model().ndcg(),
                "the list serving emitted last per user, from the final version"));
        if (reference != null) {
            md.append(row(
                    "hstu train",
                    reference.hr10(),
                    reference.ndcg10(),
                    String.format(
                            Locale.ROOT,
                            "epoch %d of %d chosen on validation (each user's second-to-last rating), %.0f s of"
                                    + " training",
                            reference.bestEpoch(),
                            reference.epochs(),
                            reference.trainSeconds())));
        }
        md.append(row(
                "most-popular", demo.mostPopular().hitRate(), demo.mostPopular().ndcg(), "the streamed events"));
        if (reference != null) {
            md.append(String.format(
                    Locale.ROOT,
                    "%nRatio of the jobs' HR@10 to hstu train's: **%.2f** (goal: at least 0.9).%n",
                    demo.model().hitRate() / reference.hr10()));
        }

        PrequentialEvaluation.Result p = demo.prequential();
        if (p != null) {
            md.append("\n## Prequential (test-then-train) hit rate\n\n");
            md.append("Each streamed event against the top ")
                    .append(p.k())
                    .append(" of the user's newest list that serving emitted (computed, by its `emitted_at`) before"
                            + " the event was sent to Kafka; an event without such a list is a miss. Most-popular:"
                            + " the items counted in the events sent before, minus the user's own. The ")
                    .append(String.format(Locale.ROOT, "%,d", p.warmupEvents()))
                    .append(" events of the warm-up part (in the topic before the jobs started) count only for"
                            + " most-popular and as the users' history; the windows cut the live part into equal"
                            + " runs.\n\n");
            md.append("| measure | HR@10 | covered | HR@10 of covered | most-popular HR@10 |\n")
                    .append("| --- | --- | --- | --- | --- |\n");
            md.append(String.format(
                    Locale.ROOT,
                    "| the live part (%,d events) | %.4f | %.3f | %.4f | %.4f |%n",
                    p.events(),
                    p.hitRate(),
                    p.coverage(),
                    p.hitRateCovered(),
                    p.mostPopularHitRate()));
            md.append("\n### Over the stream\n\n![prequential HR@10](streaming-quality.png)\n\n");
            md.append("| events | seconds after the first | HR@10 | covered | most-popular HR@10 |\n")
                    .append("| --- | --- | --- | --- | --- |\n");
            long first = p.windows().get(0).firstSentAtMs();
            for (PrequentialEvaluation.Window w : p.windows()) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %d-%d | %.1f | %.4f | %.3f | %.4f |%n",
                        w.fromEvent(),
                        w.toEvent(),
                        (w.firstSentAtMs() - first) / 1000.0,
                        w.hitRate(),
                        w.coverage(),
                        w.mostPopularHitRate()));
            }
            chart(options.results().resolveSibling("streaming-quality.png"), p);
        }

        md.append("\n## Settings\n\n```json\n")
                .append(JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(Map.of(
                                "sequence", config.sequence(),
                                "training", config.training(),
                                "demo", config.demo())))
                .append("\n```\n\nModel (both): `")
                .append(config.model().toJson().replaceAll("\\s+", " "))
                .append("`\n");
        if (reference != null) {
            md.append(String.format(
                    Locale.ROOT,
                    "%nhstu train: `--epochs %d --patience %d --window-stride %d --batch-size %d` with that model"
                            + " section (item rows sized to the data), cosine decay over its steps.%n",
                    options.epochs(),
                    options.patience(),
                    options.windowStride(),
                    options.batchSize()));
        }
        BenchReport.write(options.results(), md.toString());
    }

    /** How the demo sent and trained on the events, as a sentence ending before the step count. */
    private static String schedule(JobConfig config, PrequentialEvaluation.Result p) {
        var demo = config.demo();
        if (p != null && p.warmupEvents() > 0) {
            return String.format(
                    Locale.ROOT,
                    "the oldest %,d events in the topic at the start and trained on %d times, the other %,d sent over"
                            + " about %d s while the jobs ran, the first of %d passes over all events following"
                            + " them; ",
                    p.warmupEvents(),
                    demo.warmupPasses(),
                    p.events(),
                    demo.streamSeconds(),
                    demo.trainingPasses());
        }
        if (demo.streamSeconds() > 0) {
            return String.format(
                    Locale.ROOT,
                    "the events sent over about %d s while the jobs ran, the first of %d passes following them; ",
                    demo.streamSeconds(),
                    demo.trainingPasses());
        }
        return "every event in the topic at the start, " + demo.trainingPasses() + " passes; ";
    }

    private static String row(String name, double hr, double ndcg, String note) {
        return String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s |%n", name, hr, ndcg, note);
    }

    private static void chart(Path png, PrequentialEvaluation.Result p) throws IOException {
        int n = p.windows().size();
        double[] x = new double[n];
        double[] model = new double[n];
        double[] popular = new double[n];
        for (int i = 0; i < n; i++) {
            PrequentialEvaluation.Window w = p.windows().get(i);
            x[i] = (w.fromEvent() + w.toEvent()) / 2.0 / 1000.0;
            model[i] = w.hitRate();
            popular[i] = w.mostPopularHitRate();
        }
        LineChart.curves(
                png,
                String.format(
                        Locale.ROOT,
                        "Prequential HR@%d over the live part (%d windows of about %,d events)",
                        p.k(),
                        n,
                        p.events() / n),
                "thousands of events streamed",
                "HR@" + p.k(),
                List.of(
                        new LineChart.Series("HSTU, list emitted before the event", x, model),
                        new LineChart.Series("most-popular of the events before", x, popular)));
    }

    /** {@code hstu train} on the demo's ratings with the demo's model section; its test is the held-out rating. */
    private static Reference reference(JobConfig config, Options options, Path work) throws IOException {
        Path out = work.resolve("reference");
        deleteTree(out);
        Files.createDirectories(out);
        Path modelConfig = work.resolve("reference-model.json");
        Files.writeString(modelConfig, config.model().toJson(), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of(
                "--ratings", config.demo().ratingsCsv(),
                "--click-rating", Double.toString(config.demo().clickRating()),
                "--config", modelConfig.toString(),
                "--out", out.toString(),
                "--epochs", Integer.toString(options.epochs()),
                "--patience", Integer.toString(options.patience()),
                "--window-stride", Integer.toString(options.windowStride()),
                "--batch-size", Integer.toString(options.batchSize())));
        int rc = new CommandLine(new TrainCommand())
                .setOut(new java.io.PrintWriter(new PrintStream(System.out, true, StandardCharsets.UTF_8), true))
                .execute(args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("hstu train " + String.join(" ", args) + " exited with " + rc);
        }
        Path metrics;
        try (Stream<Path> files = Files.walk(out)) {
            metrics = files.filter(f -> f.getFileName().toString().equals(TrainCommand.METRICS))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("hstu train wrote no " + TrainCommand.METRICS));
        }
        JsonNode m = JSON.readTree(metrics.toFile());
        return new Reference(
                m.path("test").path("hr10").asDouble(),
                m.path("test").path("ndcg10").asDouble(),
                m.path("bestEpoch").asInt(),
                m.path("epochs").isArray()
                        ? m.path("epochs").size()
                        : m.path("epochs").asInt(),
                m.path("trainSeconds").asDouble());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
