package dev.hstu.bench.ingest;

import dev.hstu.bench.BenchReport;
import dev.hstu.jobs.config.ValidationSettings;
import dev.hstu.jobs.event.EventRules;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.event.ParseEventsFunction;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.TopicReader;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.jobs.sequence.TrainingSequenceFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Ingest throughput (issue: benchmark harness, item 1): events per second through the training job's front half,
 * parse -> validate -> keyBy(user) -> sequence state -> training-sequence emission, on a local MiniCluster with
 * RocksDB (and the heap backend for reference), at parallelism 1 and 2; plus the Kafka produce and consume rates of
 * the embedded broker.
 *
 * <p>Usage: {@code bench/run ingest-throughput [--events N] [--users N] [--items N] [--max-length N]}
 */
public final class IngestThroughputBenchmark {

    private record Row(String workload, String backend, int parallelism, long events, double seconds) {
        double perSecond() {
            return events / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Path results = null;
        long events = 2_000_000;
        int users = 100_000;
        int items = 50_000;
        int maxLength = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--items" -> items = Integer.parseInt(args[++i]);
                case "--max-length" -> maxLength = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + " (use --results FILE --events N --users N --items N --max-length N)");
            }
        }
        if (results == null) {
            throw new IllegalArgumentException("--results FILE is required (bench/run passes it)");
        }
        String header = BenchReport.header(
                "ingest-throughput: parse -> validate -> sequence state -> emission",
                BenchReport.command(IngestThroughputBenchmark.class, args));
        List<Row> rows = new ArrayList<>();
        // Warm-up: JIT and RocksDB native loading, not reported.
        flink(events / 10, users, items, maxLength, "rocksdb", 2);
        for (String backend : new String[] {"rocksdb", "hashmap"}) {
            for (int parallelism : new int[] {1, 2}) {
                double seconds = flink(events, users, items, maxLength, backend, parallelism);
                rows.add(new Row(
                        "synthetic, " + users + " users, " + items + " items, N=" + maxLength,
                        backend,
                        parallelism,
                        events,
                        seconds));
                System.out.printf(Locale.ROOT, "%s p=%d: %,.0f events/s%n", backend, parallelism, events / seconds);
            }
        }
        double[] kafka = kafkaRoundTrip(Math.min(events, 1_000_000), users, items);

        StringBuilder md = new StringBuilder(header);
        md.append("- pipeline: DataGeneratorSource (JSON bytes) -> ParseEventsFunction -> keyBy(user) -> "
                + "TrainingSequenceFunction (stride 8) -> DiscardingSink; MiniCluster, no checkpoints during the run\n"
                + "- events/s = events / JobExecutionResult.getNetRuntime (includes job start-up, so short runs "
                + "understate the steady rate)\n\n");
        md.append(
                "| workload | state backend | parallelism | events | seconds | events/s |\n|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %,d | %.2f | %,.0f |%n",
                    r.workload(),
                    r.backend(),
                    r.parallelism(),
                    r.events(),
                    r.seconds(),
                    r.perSecond()));
        }
        md.append(String.format(
                Locale.ROOT,
                "%n## Kafka (embedded KRaft broker, loopback, 2 partitions)%n%n"
                        + "| step | records | seconds | records/s |%n|---|---:|---:|---:|%n"
                        + "| produce (acks=all, idempotent, lz4, flush at end) | %,d | %.2f | %,.0f |%n"
                        + "| consume (read_committed, from the beginning) | %,d | %.2f | %,.0f |%n",
                (long) kafka[0],
                kafka[1],
                kafka[0] / kafka[1],
                (long) kafka[0],
                kafka[2],
                kafka[0] / kafka[2]));
        md.append("\n## Goal\n\nAt least 100k events/s through ingest on this 2-core machine (issue 7).\n\n");
        for (Row r : rows) {
            md.append(String.format(
                    Locale.ROOT,
                    "- %s, parallelism %d: %,.0f events/s, %s%n",
                    r.backend(),
                    r.parallelism(),
                    r.perSecond(),
                    r.perSecond() >= 100_000 ? "met" : "NOT met"));
        }
        md.append('\n').append(BenchReport.loadAtEnd());
        BenchReport.write(results, md.toString());
    }

    private static double flink(long events, int users, int items, int maxLength, String backend, int parallelism)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.fromSource(
                        new DataGeneratorSource<>(
                                new SyntheticEvents(users, items), events, TypeInformation.of(RawRecord.class)),
                        WatermarkStrategy.noWatermarks(),
                        "Synthetic events")
                .process(new ParseEventsFunction(EventRules.from(ValidationSettings.defaults())))
                .keyBy(InteractionEvent::userId)
                .process(new TrainingSequenceFunction(maxLength, 8, Duration.ofDays(365)))
                .sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute("ingest benchmark");
        return result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
    }

    /** [records, produce seconds, consume seconds] through a real embedded broker. */
    private static double[] kafkaRoundTrip(long records, int users, int items) {
        SyntheticEvents generator = new SyntheticEvents(users, items);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Topics.create(kafka.bootstrapServers(), 2, "bench-interactions");
            long t0 = System.nanoTime();
            try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), "bench-interactions")) {
                for (long i = 0; i < records; i++) {
                    RawRecord r = generator.map(i);
                    producer.send(null, r.payload(), r.kafkaTimestampMs());
                }
                producer.flush();
            }
            double produce = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            long read = 0;
            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "bench-interactions")) {
                while (read < records) {
                    read += reader.poll(Duration.ofSeconds(2), r -> {});
                }
            }
            double consume = (System.nanoTime() - t1) / 1e9;
            return new double[] {records, produce, consume};
        }
    }
}
