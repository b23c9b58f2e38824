package dev.hstu.bench.freshness;

import dev.hstu.bench.BenchReport;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.LocalFlinkCluster;
import dev.hstu.jobs.ServingJob;
import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.demo.RatingsLog;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.TopicReader;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.sink.JsonCodec;
import dev.hstu.sink.Recommendation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobID;

/**
 * Freshness under a steady load (issue: continuous training, item 4): MovieLens interactions are sent to the
 * embedded broker at a fixed rate, stamped with the wall clock as live events are, while the training and serving
 * jobs run as configured in {@code conf/local.yaml}. Measured from outside, as a downstream consumer sees it:
 * <ul>
 *   <li>event to recommendation: when a list arrives on {@code recommendations} (read_committed) minus the time of
 *       the newest event it reflects;</li>
 *   <li>event to model version: when the first version whose {@code max_event_time} covers an event arrives on
 *       {@code model-updates} minus that event's time.</li>
 * </ul>
 * Usage: {@code bench/run freshness [--rate 200] [--seconds 90] [--warmup-seconds 30]}
 */
public final class FreshnessBenchmark {

    public static void main(String[] args) throws Exception {
        Path results = null;
        int rate = 200;
        int seconds = 90;
        int warmupSeconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + " (use --results FILE --rate EVENTS_PER_S --seconds S --warmup-seconds S)");
            }
        }
        if (results == null) {
            throw new IllegalArgumentException("--results FILE is required (bench/run passes it)");
        }
        String header = BenchReport.header(
                "freshness: event to recommendation and to model version under steady load",
                BenchReport.command(FreshnessBenchmark.class, args));
        Path work = Path.of("target", "hstu", "freshness-bench").toAbsolutePath();
        JobConfig base = ConfigLoader.load(
                Path.of("conf", "local.yaml"),
                Map.of(
                        "training.modelDir",
                        work.resolve("models").toString(),
                        "flink.checkpointDir",
                        work.resolve("checkpoints").toString(),
                        "training.warmStart",
                        "false",
                        "kafka.startFrom",
                        "earliest"));
        RatingsLog log = RatingsLog.read(Path.of(base.demo().ratingsCsv()));
        MovieLensActions actions = MovieLensActions.clickAtOrAbove(base.demo().clickRating());

        List<Double> toRecommendation = new ArrayList<>();
        List<Double> toModel = new ArrayList<>();
        List<Long> sentTimes = new ArrayList<>();
        int versions = 0;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = base.withKafka(base.kafka().withBootstrapServers(kafka.bootstrapServers()));
            var k = config.kafka();
            Topics.create(
                    k.bootstrapServers(),
                    k.partitions(),
                    k.interactionsTopic(),
                    k.deadLetterTopic(),
                    k.recommendationsTopic());
            Topics.create(k.bootstrapServers(), 1, k.modelUpdatesTopic());
            try (LocalFlinkCluster flink = LocalFlinkCluster.start(
                            config.flink(), 2 * config.flink().parallelism());
                    EventProducer producer = new EventProducer(k.bootstrapServers(), k.interactionsTopic());
                    TopicReader recs = new TopicReader(k.bootstrapServers(), k.recommendationsTopic());
                    TopicReader models = new TopicReader(k.bootstrapServers(), k.modelUpdatesTopic())) {
                JobID serving = flink.submit(ServingJob.kafkaJob(config), "HSTU serving");
                JobID training = flink.submit(TrainingJob.kafkaJob(config, false), "HSTU training");
                long start = System.currentTimeMillis();
                long measureFrom = start + warmupSeconds * 1000L;
                long end = start + seconds * 1000L;
                Map<Long, Long> versionArrival = new LinkedHashMap<>();
                Map<Long, Long> versionCoverage = new LinkedHashMap<>();
                StringBuilder json = new StringBuilder(128);
                int next = 0;
                long sent = 0;
                while (System.currentTimeMillis() < end + 20_000) {
                    long now = System.currentTimeMillis();
                    long due = now < end ? (now - start) * rate / 1000 : sent;
                    for (; sent < due && next < log.size(); sent++, next++) {
                        long ts = System.currentTimeMillis();
                        producer.send(Long.toString(log.users[next]), log.eventJson(next, actions, ts, json), ts);
                        if (ts >= measureFrom && ts < end) {
                            sentTimes.add(ts);
                        }
                    }
                    models.poll(Duration.ofMillis(20), r -> {
                        ModelVersion v = JsonCodec.fromBytes(r.value(), ModelVersion.class);
                        versionArrival.put(v.version(), System.currentTimeMillis());
                        versionCoverage.put(v.version(), v.maxEventTimeMs());
                    });
                    recs.poll(Duration.ofMillis(20), r -> {
                        long arrived = System.currentTimeMillis();
                        Recommendation rec = JsonCodec.fromBytes(r.value(), Recommendation.class);
                        if (rec.eventTimeMs() >= measureFrom && rec.eventTimeMs() < end) {
                            toRecommendation.add((double) (arrived - rec.eventTimeMs()));
                        }
                    });
                }
                versions = versionArrival.size();
                for (long ts : sentTimes) {
                    for (var e : versionCoverage.entrySet()) {
                        if (e.getValue() >= ts) {
                            toModel.add((double) (versionArrival.get(e.getKey()) - ts));
                            break;
                        }
                    }
                }
                flink.cancel(training);
                flink.cancel(serving);
            }
        }
        StringBuilder md = new StringBuilder(header);
        md.append(String.format(
                Locale.ROOT,
                "- load: %d events/s for %d s (MovieLens interactions in time order, "
                        + "stamped with the wall clock); first %d s not measured (model warm-up)%n",
                rate,
                seconds,
                warmupSeconds));
        md.append(String.format(
                Locale.ROOT,
                "- configuration: conf/local.yaml (checkpoint every %d ms, exactly-once "
                        + "sinks, publishEverySteps %d, publishEveryMs %d, refreshDelayMs %d, batch %d, stride %d)%n",
                base.flink().checkpointIntervalMs(),
                base.training().publishEverySteps(),
                base.training().publishEveryMs(),
                base.serving().refreshDelayMs(),
                base.training().batchSize(),
                base.sequence().trainingStride()));
        md.append("- measured by a read_committed consumer on this machine: the time a record became visible minus "
                + "the event's time\n- model versions seen: " + versions + "\n\n");
        md.append("| path | samples | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        md.append(row("event -> recommendation", toRecommendation));
        md.append(row("event -> model version", toModel));
        md.append(String.format(
                Locale.ROOT,
                "%nEvents measured for the model path: %,d sent, %,d covered by a " + "version before the end.%n",
                sentTimes.size(),
                toModel.size()));
        BenchReport.write(results, md.toString());
    }

    private static String row(String path, List<Double> values) {
        if (values.isEmpty()) {
            return "| " + path + " | 0 | - | - | - |\n";
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(
                Locale.ROOT,
                "| %s | %,d | %.0f | %.0f | %.0f |%n",
                path,
                sorted.size(),
                percentile(sorted, 0.5),
                percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
