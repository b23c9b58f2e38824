package dev.hstu.bench.ctr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hstu.ctr.BatchCtrComputation;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.DecayPolicy;
import dev.hstu.ctr.io.EventLogSink;
import dev.hstu.ctr.io.EventLogs;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.jobs.ctr.CtrStage;
import dev.hstu.jobs.event.InteractionEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run ctr-throughput}: how many CTR state updates per second the streaming CTR
 * functions sustain with the RocksDB state backend on this machine, on synthetic events and on
 * MovieLens replayed several times, next to the in-memory offline precompute on the same events.
 * Each event updates two keyed RocksDB values (the user's and the item's decayed counts: one read
 * and one write each) and feeds the population aggregator and the feature function.
 */
@Command(
        name = "ctr-throughput",
        mixinStandardHelpOptions = true,
        description = "Streaming CTR state updates per second with RocksDB (MiniCluster).")
public final class CtrThroughputBenchmark implements Callable<Integer> {

    @Option(names = "--results", required = true, description = "Markdown file to write the results to.")
    Path results;

    @Option(names = "--events", defaultValue = "2000000", description = "Synthetic events. Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--users", defaultValue = "100000", description = "Synthetic users. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(
            names = "--items",
            defaultValue = "50000",
            description = "Synthetic items (power-law popularity). Default: ${DEFAULT-VALUE}.")
    int items;

    @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "10s",
            description = "Incremental RocksDB checkpoints this often (0 = off). Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(
            names = "--warmup-events",
            defaultValue = "50000",
            description =
                    "Synthetic events of an unreported first job that warms up the JIT and class loading. Default: ${DEFAULT-VALUE}.")
    long warmupEvents;

    @Option(
            names = "--movielens",
            defaultValue = "data/ml-latest-small/ratings.csv",
            description = "MovieLens ratings.csv to replay (skipped when missing). Default: ${DEFAULT-VALUE}.")
    Path movieLens;

    @Option(
            names = "--movielens-repeats",
            defaultValue = "10",
            description =
                    "Times the MovieLens log is replayed, each shifted forward in time. Default: ${DEFAULT-VALUE}.")
    int movieLensRepeats;

    @Option(
            names = "--population-flush-ms",
            defaultValue = "1000",
            description =
                    "Processing-time period of each counting subtask's population changes, as the jobs' ctr.populationFlushMs. Default: ${DEFAULT-VALUE}.")
    long populationFlushMs;

    private static final CtrConfig CONFIG = CtrConfig.defaults().withDecay(DecayPolicy.halfLife(Duration.ofDays(7)));

    /** Entry point used by bench/run. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CtrThroughputBenchmark()).execute(args));
    }

    /** One measured run. */
    private record Measurement(String workload, String engine, long events, double seconds) {
        double eventsPerSecond() {
            return events / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Measurement> runs = new ArrayList<>();

        if (warmupEvents > 0) {
            streaming("warm-up", new SyntheticEvents(users, items), warmupEvents);
            offline("warm-up", new SyntheticEvents(users, items), warmupEvents);
        }
        String synthetic =
                String.format(Locale.ROOT, "synthetic: %,d events, %,d users, %,d items", events, users, items);
        runs.add(streaming(synthetic, new SyntheticEvents(users, items), events));
        runs.add(offline(synthetic, new SyntheticEvents(users, items), events));

        if (Files.isRegularFile(movieLens)) {
            MovieLensReplay replay = MovieLensReplay.load(movieLens);
            long n = (long) replay.size() * movieLensRepeats;
            String name = String.format(Locale.ROOT, "MovieLens ratings x%d: %,d events", movieLensRepeats, n);
            runs.add(streaming(name, replay, n));
            runs.add(offline(name, replay, n));
        }
        write(started, loadAtStart, runs);
        runs.forEach(r -> System.out.printf(
                Locale.ROOT, "%-45s %-32s %,12.0f events/s%n", r.workload(), r.engine(), r.eventsPerSecond()));
        System.out.println("wrote " + results);
        return 0;
    }

    private Measurement streaming(String workload, MapFunction<Long, CtrEvent> generator, long n) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        Duration interval = checkpointInterval.equals("0")
                ? Duration.ZERO
                : Duration.parse("PT" + checkpointInterval.toUpperCase(Locale.ROOT));
        if (!interval.isZero()) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Files.createTempDirectory("ctr-bench-checkpoints").toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        DataStream<InteractionEvent> input = env.fromSequence(0, n - 1)
                .map(generator, TypeInformation.of(CtrEvent.class))
                .map(
                        e -> new InteractionEvent(e.userId(), e.itemId(), e.action(), e.timestampMs()),
                        TypeInformation.of(InteractionEvent.class));
        // The stage the training and serving jobs run, with the channels going to a discarding sink instead of
        // the sequence state.
        CtrStage ctr = CtrStage.attach(input, CONFIG, populationFlushMs);
        ctr.events().map(new Count<>("featured")).sinkTo(new DiscardingSink<>());
        ctr.rejected().map(new Count<>("rejected")).sinkTo(new DiscardingSink<>());
        ctr.populations().sinkTo(new DiscardingSink<>());
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("ctr-throughput " + workload);
        double wall = (System.nanoTime() - t0) / 1e9;
        double net = result.getNetRuntime() / 1000.0;
        long featured = result.<Long>getAccumulatorResult("featured");
        Long rejectedOrNull = result.<Long>getAccumulatorResult("rejected");
        long rejected = rejectedOrNull == null ? 0 : rejectedOrNull;
        System.out.printf(
                Locale.ROOT,
                "%s: streaming job %.1f s net, %.1f s wall, %d events with channels, %d rejected%n",
                workload,
                net,
                wall,
                featured,
                rejected);
        if (featured != n || rejected != 0) {
            throw new IllegalStateException(
                    "expected " + n + " events with channels and 0 rejected, got " + featured + " and " + rejected);
        }
        return new Measurement(workload, "Flink + RocksDB, p=" + parallelism, n, net);
    }

    private static Measurement offline(String workload, MapFunction<Long, CtrEvent> generator, long n)
            throws Exception {
        BatchCtrComputation batch = new BatchCtrComputation(CONFIG);
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            batch.accept(generator.map(i));
        }
        batch.result();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Measurement(workload, "offline precompute (heap, 1 thread)", n, seconds);
    }

    private void write(String started, double loadAtStart, List<Measurement> runs) throws IOException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder md = new StringBuilder();
        md.append("# ctr-throughput: streaming CTR state updates with RocksDB\n\n");
        md.append("- date: ").append(started).append('\n');
        md.append("- command: `").append(commandLine()).append("`\n");
        md.append(String.format(
                Locale.ROOT,
                "- machine: %d cores (%s), %.1f GiB RAM, JVM max heap %.1f GiB, %s %s, Java %s%n",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                os.getTotalMemorySize() / 1073741824.0,
                Runtime.getRuntime().maxMemory() / 1073741824.0,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version")));
        md.append(String.format(
                Locale.ROOT,
                "- load average at start: %.2f (the machine is shared; figures are what this run got)%n",
                loadAtStart));
        md.append(String.format(
                Locale.ROOT,
                "- pipeline: the jobs' CtrStage.attach (keyBy item -> item counts -> keyBy user -> user counts (RocksDB keyed state, TTL), "
                        + "population aggregator (p=1, deltas every %d ms) -> broadcast -> channels per event), "
                        + "Flink MiniCluster, parallelism %d, incremental checkpoints every %s, half-life 7d, auto prior, discarding sinks%n",
                populationFlushMs,
                parallelism,
                checkpointInterval));
        md.append(String.format(
                Locale.ROOT, "- an unreported warm-up job of %,d synthetic events ran first%n", warmupEvents));
        md.append("- every streaming run checked: every event emitted once with its channels, 0 events rejected\n");
        md.append(
                "- events/s = events / net job runtime (JobExecutionResult.getNetRuntime, includes job start-up); "
                        + "keyed state updates/s = 2 x events/s (each event rewrites the user's and the item's counts in RocksDB)\n\n");
        md.append(
                "| workload | engine | events | seconds | events/s | keyed state updates/s |\n|---|---|---:|---:|---:|---:|\n");
        for (Measurement r : runs) {
            boolean stream = r.engine().startsWith("Flink");
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %,d | %.2f | %,.0f | %s |%n",
                    r.workload(),
                    r.engine(),
                    r.events(),
                    r.seconds(),
                    r.eventsPerSecond(),
                    stream ? String.format(Locale.ROOT, "%,.0f", 2 * r.eventsPerSecond()) : "(heap)"));
        }
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, md.toString(), StandardCharsets.UTF_8);
        writeJson(started, runs);
    }

    /** The same figures as the Markdown, next to it with a .json suffix. */
    private void writeJson(String started, List<Measurement> runs) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "ctr-throughput");
        doc.put("date", started);
        doc.put("command", commandLine());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("cpu", cpuModel());
        doc.put("parallelism", parallelism);
        doc.put("checkpointInterval", checkpointInterval);
        doc.put("populationFlushMs", populationFlushMs);
        doc.put("warmupEvents", warmupEvents);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Measurement r : runs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("workload", r.workload());
            row.put("engine", r.engine());
            row.put("events", r.events());
            row.put("seconds", r.seconds());
            row.put("eventsPerSecond", r.eventsPerSecond());
            if (r.engine().startsWith("Flink")) {
                row.put("keyedStateUpdatesPerSecond", 2 * r.eventsPerSecond());
            }
            rows.add(row);
        }
        doc.put("runs", rows);
        String name = results.getFileName().toString().replaceFirst("\\.md$", "") + ".json";
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(results.resolveSibling(name).toFile(), doc);
    }

    private static String commandLine() {
        // bench/run names itself, so the results file shows the command a reader can re-run.
        String viaScript = System.getenv("HSTU_BENCH_COMMAND");
        if (viaScript != null && !viaScript.isBlank()) {
            return viaScript;
        }
        // The classpath is long and machine-specific; the main class and arguments say what ran.
        String command = System.getProperty("sun.java.command", "?");
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return "java " + String.join(" ", jvm) + " -cp <bench classpath> " + command;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: leave the model out
        }
        return "unknown CPU";
    }

    /** Counts records into a job accumulator, so the run proves every event went the whole way. */
    static final class Count<T> extends RichMapFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private transient LongCounter counter;

        Count(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext context) {
            counter = getRuntimeContext().getLongCounter(name);
        }

        @Override
        public T map(T value) {
            counter.add(1L);
            return value;
        }
    }

    /** Deterministic synthetic events: uniform users, power-law items, 10% clicks, +-2.5 s disorder. */
    static final class SyntheticEvents implements MapFunction<Long, CtrEvent> {
        private static final long serialVersionUID = 1L;
        private static final long START_MS = 1_700_000_000_000L;
        private final int users;
        private final int items;

        SyntheticEvents(int users, int items) {
            this.users = users;
            this.items = items;
        }

        @Override
        public CtrEvent map(Long index) {
            SplittableRandom r = new SplittableRandom(index * 0x9E3779B97F4A7C15L);
            long user = r.nextInt(users);
            long item = (long) (items * Math.pow(r.nextDouble(), 3));
            int action = r.nextDouble() < 0.1 ? 1 : 0;
            long ts = START_MS + index * 10 + r.nextInt(5_000) - 2_500;
            return new CtrEvent(user, item, action, ts);
        }
    }

    /** MovieLens ratings in time order, replayed with each pass shifted past the previous one. */
    static final class MovieLensReplay implements MapFunction<Long, CtrEvent> {
        private static final long serialVersionUID = 1L;
        private final long[] users;
        private final long[] items;
        private final int[] actions;
        private final long[] timestamps;
        private final long passMs;

        private MovieLensReplay(List<CtrEvent> byTime) {
            int n = byTime.size();
            users = new long[n];
            items = new long[n];
            actions = new int[n];
            timestamps = new long[n];
            for (int i = 0; i < n; i++) {
                CtrEvent e = byTime.get(i);
                users[i] = e.userId();
                items[i] = e.itemId();
                actions[i] = e.action();
                timestamps[i] = e.timestampMs();
            }
            passMs = timestamps[n - 1] - timestamps[0] + Duration.ofDays(1).toMillis();
        }

        static MovieLensReplay load(Path ratings) throws IOException {
            List<CtrEvent> events = new ArrayList<>();
            EventLogs.readMovieLens(
                    ratings,
                    MovieLensActions.clickAtOrAbove(MovieLensActions.DEFAULT_CLICK_RATING),
                    new EventLogSink() {
                        @Override
                        public void event(long line, CtrEvent event) {
                            events.add(event);
                        }

                        @Override
                        public void reject(InputReject reject) {
                            throw new IllegalStateException(reject.toString());
                        }
                    });
            events.sort(Comparator.comparingLong(CtrEvent::timestampMs));
            return new MovieLensReplay(events);
        }

        int size() {
            return users.length;
        }

        @Override
        public CtrEvent map(Long index) {
            int i = (int) (index % users.length);
            long pass = index / users.length;
            return new CtrEvent(users[i], items[i], actions[i], timestamps[i] + pass * passMs);
        }
    }
}
