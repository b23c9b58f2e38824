package dev.hstu.jobs.demo;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.jobs.LocalFlinkCluster;
import dev.hstu.jobs.ServingJob;
import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.config.KafkaSettings;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.TopicReader;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.jobs.train.StandaloneTrainer;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.EmbeddingFileSink;
import dev.hstu.sink.EmbeddingPart;
import dev.hstu.sink.JsonCodec;
import dev.hstu.sink.QueryEmbedding;
import dev.hstu.sink.Recommendation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hstu demo}: the whole path on one machine. Starts a real Kafka broker (unless the configuration names an
 * external one) and a Flink MiniCluster with RocksDB, streams a MovieLens log into the interactions topic in time
 * order (each user's last interaction held out), runs the training and serving jobs side by side, and ends with a
 * leave-one-out evaluation of the final recommendations that came out of Kafka. It waits until every user has a list
 * and a query embedding from the final model in Kafka, and in the embedding files.
 */
public final class DemoRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final PrintStream console;

    public DemoRunner(PrintStream console) {
        this.console = console;
    }

    /** What the demo measured. */
    public record Summary(
            int eventsStreamed,
            int badRecords,
            int users,
            int items,
            long finalVersion,
            long trainSteps,
            double finalLoss,
            long recommendationsEmitted,
            long queryEmbeddingsEmitted,
            int deadLetters,
            LeaveOneOutEvaluation.Metrics model,
            LeaveOneOutEvaluation.Metrics mostPopular,
            boolean complete,
            double elapsedSeconds) {}

    public Summary run(JobConfig config) throws Exception {
        long t0 = System.nanoTime();
        Path out = Path.of(config.demo().outputDir()).toAbsolutePath();
        DemoOutputDirectory.recreate(out);
        // The demo owns its output directory: models and checkpoints go there too, so every run starts clean.
        config = withDemoPaths(config, out);

        console.printf("Loading %s%n", config.demo().ratingsCsv());
        RatingsLog log = RatingsLog.read(Path.of(config.demo().ratingsCsv()));
        Map<Long, Long> heldOut = log.heldOutItems();
        Map<Long, Long> lastTs = log.lastStreamedTimestamps();
        console.printf(
                "  %,d ratings, %,d users; each user's last rating is held out for evaluation%n",
                log.size(), heldOut.size());

        EmbeddedKafka broker = null;
        try {
            KafkaSettings kafka = config.kafka();
            if (kafka.embedded()) {
                console.println("Starting the embedded Kafka broker (KRaft, loopback)");
                broker = EmbeddedKafka.start();
                kafka = kafka.withBootstrapServers(broker.bootstrapServers());
                config = config.withKafka(kafka);
            }
            console.printf("  Kafka at %s%n", kafka.bootstrapServers());
            Topics.create(
                    kafka,
                    kafka.partitions(),
                    kafka.interactionsTopic(),
                    kafka.deadLetterTopic(),
                    kafka.recommendationsTopic(),
                    kafka.queryEmbeddingsTopic());
            Topics.create(kafka, 1, kafka.modelUpdatesTopic(), kafka.trainingBatchesTopic());

            int[] produced = produce(
                    kafka, log, MovieLensActions.clickAtOrAbove(config.demo().clickRating()));
            return runJobs(config, log, heldOut, lastTs, produced, out, t0);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private int[] produce(KafkaSettings kafka, RatingsLog log, MovieLensActions actions) {
        console.printf("Producing events to topic '%s' in timestamp order%n", kafka.interactionsTopic());
        int events = 0;
        int bad = 0;
        int badAt = log.size() / 2;
        try (EventProducer producer = new EventProducer(kafka, kafka.interactionsTopic())) {
            StringBuilder json = new StringBuilder(128);
            for (int i = 0; i < log.size(); i++) {
                if (i == badAt) {
                    for (byte[] record : BadRecords.around(log.timestampsMs[i])) {
                        producer.send(null, record, log.timestampsMs[i]);
                        bad++;
                    }
                }
                if (log.heldOut[i]) {
                    continue;
                }
                producer.send(Long.toString(log.users[i]), log.eventJson(i, actions, json), log.timestampsMs[i]);
                events++;
            }
            producer.flush();
        }
        console.printf("  %,d events and %d deliberately bad records produced%n", events, bad);
        return new int[] {events, bad};
    }

    private Summary runJobs(
            JobConfig config,
            RatingsLog log,
            Map<Long, Long> heldOut,
            Map<Long, Long> lastTs,
            int[] produced,
            Path out,
            long t0)
            throws Exception {
        KafkaSettings kafka = config.kafka();
        int slots = 2 * config.flink().parallelism();
        console.printf(
                "Starting a Flink MiniCluster (%d slots, %s state backend, checkpoint every %d ms)%n",
                slots, config.flink().stateBackend(), config.flink().checkpointIntervalMs());
        Map<Long, Recommendation> latest = new HashMap<>();
        Map<Long, QueryEmbedding> latestEmbeddings = new HashMap<>();
        List<ModelVersion> versions = new ArrayList<>();
        long emitted = 0;
        long embeddingsEmitted = 0;
        boolean complete = false;
        try (LocalFlinkCluster flink = LocalFlinkCluster.start(config.flink(), slots);
                TopicReader recs = new TopicReader(kafka, kafka.recommendationsTopic());
                TopicReader embeddings = new TopicReader(kafka, kafka.queryEmbeddingsTopic());
                TopicReader models = new TopicReader(kafka, kafka.modelUpdatesTopic())) {
            JobID serving = flink.submit(ServingJob.kafkaJob(config), "HSTU serving");
            AtomicBoolean trainingInputDone = new AtomicBoolean();
            Thread standaloneTrainer =
                    config.training().viaTopic() ? startStandaloneTrainer(config, trainingInputDone) : null;
            int passes = config.demo().trainingPasses();
            // The in-job trainer ends every pass with a final version; the standalone one only once, at the end.
            int finalVersionsExpected = standaloneTrainer == null ? passes : 1;
            int pass = 1;
            JobID training = flink.submit(TrainingJob.kafkaJob(config, true), trainingJobName(pass, passes));
            console.printf(
                    "Jobs running: '%s' (bounded replay of the topic, warm-starting from the previous pass)"
                            + " and 'HSTU serving'%n",
                    trainingJobName(pass, passes));

            long deadline = System.nanoTime()
                    + Duration.ofSeconds(config.demo().timeoutSeconds()).toNanos();
            long nextReport = 0;
            int[] finalVersionsSeen = {0};
            while (System.nanoTime() < deadline) {
                models.poll(Duration.ofMillis(100), r -> {
                    ModelVersion v = JsonCodec.fromBytes(r.value(), ModelVersion.class);
                    versions.add(v);
                    finalVersionsSeen[0] += v.finalVersion() ? 1 : 0;
                    console.printf(
                            "  model version %d published: step %d, mean loss %.4f, %,d items%s%n",
                            v.version(), v.step(), v.meanLoss(), v.items(), v.finalVersion() ? " (end of pass)" : "");
                });
                emitted += recs.poll(Duration.ofMillis(400), r -> {
                    Recommendation rec = JsonCodec.fromBytes(r.value(), Recommendation.class);
                    latest.put(rec.userId(), rec);
                });
                embeddingsEmitted += embeddings.poll(Duration.ofMillis(50), r -> {
                    QueryEmbedding e = JsonCodec.fromBytes(r.value(), QueryEmbedding.class);
                    latestEmbeddings.put(e.userId(), e);
                });
                if (training != null && flink.isFinished(training)) {
                    flink.await(training, Duration.ofSeconds(10));
                    console.printf("  training pass %d of %d finished%n", pass, passes);
                    training = null;
                    trainingInputDone.set(pass == passes);
                    if (pass < passes) {
                        pass++;
                        // Later passes replay records the first pass already dead-lettered.
                        training =
                                flink.submit(TrainingJob.kafkaJob(config, true, false), trainingJobName(pass, passes));
                    }
                }
                if (System.nanoTime() >= nextReport) {
                    report(flink, training, serving, emitted, latest.size());
                    nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
                }
                ModelVersion last = versions.isEmpty() ? null : versions.get(versions.size() - 1);
                if (training == null
                        && finalVersionsSeen[0] >= finalVersionsExpected
                        && last != null
                        && last.finalVersion()
                        && allFresh(
                                latest,
                                lastTs,
                                last.version(),
                                Recommendation::modelVersion,
                                Recommendation::eventTimeMs)
                        && allFresh(
                                latestEmbeddings,
                                lastTs,
                                last.version(),
                                QueryEmbedding::modelVersion,
                                QueryEmbedding::eventTimeMs)
                        && embeddingFilesCover(config, last.version(), lastTs.keySet())) {
                    complete = true;
                    break;
                }
            }
            if (!complete) {
                console.printf(
                        "WARNING: not every user had a recommendation and an embedding from the final model "
                                + "after %d s "
                                + "(demo.timeoutSeconds); reporting what arrived%n",
                        config.demo().timeoutSeconds());
            }
            if (training != null) {
                flink.cancel(training);
            }
            if (standaloneTrainer != null) {
                trainingInputDone.set(true);
                standaloneTrainer.join(Duration.ofSeconds(30).toMillis());
            }
            flink.cancel(serving);
        }
        List<DeadLetter> deadLetters = readAll(kafka, kafka.deadLetterTopic(), DeadLetter.class);
        return summarise(
                config,
                log,
                heldOut,
                produced,
                out,
                latest,
                latestEmbeddings,
                versions,
                new long[] {emitted, embeddingsEmitted},
                deadLetters,
                complete,
                t0);
    }

    /** training.mode=topic: the standalone trainer in a thread of this JVM, as it would run on a GPU host. */
    private Thread startStandaloneTrainer(JobConfig config, AtomicBoolean inputDone) {
        console.printf(
                "Starting the standalone trainer on topic '%s' (training.mode=topic)%n",
                config.kafka().trainingBatchesTopic());
        Thread thread = new Thread(
                () -> {
                    try (StandaloneTrainer trainer = new StandaloneTrainer(config)) {
                        trainer.run(Duration.ZERO, inputDone::get);
                    } catch (Exception e) {
                        LOG.error("The standalone trainer failed", e);
                    }
                },
                "hstu-standalone-trainer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String trainingJobName(int pass, int passes) {
        return passes == 1 ? "HSTU training" : "HSTU training (pass " + pass + " of " + passes + ")";
    }

    private void report(LocalFlinkCluster flink, JobID training, JobID serving, long emitted, int users) {
        Map<String, long[]> t = training == null ? Map.of() : flink.progress(training);
        long parsed = t.entrySet().stream()
                .filter(e -> e.getKey().contains("Parse"))
                .mapToLong(e -> e.getValue()[0])
                .sum();
        long sequences = t.entrySet().stream()
                .filter(e -> e.getKey().contains("trainer"))
                .mapToLong(e -> e.getValue()[0])
                .sum();
        Map<String, long[]> s = flink.progress(serving);
        long served = s.entrySet().stream()
                .filter(e -> e.getKey().contains("Parse"))
                .mapToLong(e -> e.getValue()[0])
                .sum();
        console.printf(
                "  progress: %,d events ingested by training, %,d training sequences to the trainer, "
                        + "%,d events by serving, %,d recommendations emitted (%,d users)%n",
                parsed, sequences, served, emitted, users);
    }

    /** Whether every user's latest record is from {@code version} and reflects the user's last event. */
    private static <T> boolean allFresh(
            Map<Long, T> latest,
            Map<Long, Long> lastTs,
            long version,
            ToLongFunction<T> versionOf,
            ToLongFunction<T> eventTimeOf) {
        for (var e : lastTs.entrySet()) {
            T r = latest.get(e.getKey());
            if (r == null || versionOf.applyAsLong(r) != version || eventTimeOf.applyAsLong(r) != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the committed embedding files of {@code version} hold every user (always, with no files). */
    private static boolean embeddingFilesCover(JobConfig config, long version, Set<Long> users) throws IOException {
        if (config.serving().embeddingsDir() == null) {
            return true;
        }
        Set<Long> filed = new HashSet<>();
        for (Path part :
                EmbeddingFileSink.committedParts(Path.of(config.serving().embeddingsDir()), version)) {
            for (long id : EmbeddingFiles.readU64(part.resolve(EmbeddingPart.IDS))) {
                filed.add(id);
            }
        }
        return filed.containsAll(users);
    }

    private Summary summarise(
            JobConfig config,
            RatingsLog log,
            Map<Long, Long> heldOut,
            int[] produced,
            Path out,
            Map<Long, Recommendation> latest,
            Map<Long, QueryEmbedding> latestEmbeddings,
            List<ModelVersion> versions,
            long[] emitted,
            List<DeadLetter> deadLetters,
            boolean complete,
            long t0)
            throws IOException {
        int k = Math.min(10, config.serving().topK());
        LeaveOneOutEvaluation.Metrics model =
                LeaveOneOutEvaluation.evaluate(LeaveOneOutEvaluation.lists(latest.values()), heldOut, k);
        LeaveOneOutEvaluation.Metrics popular =
                LeaveOneOutEvaluation.evaluate(LeaveOneOutEvaluation.mostPopular(log, k), heldOut, k);
        ModelVersion last = versions.isEmpty() ? null : versions.get(versions.size() - 1);

        Path recsFile = out.resolve("recommendations.jsonl");
        writeJsonl(recsFile, latest.values().stream().sorted(Comparator.comparingLong(Recommendation::userId)));
        Path embeddingsFile = out.resolve("query-embeddings.jsonl");
        writeJsonl(
                embeddingsFile,
                latestEmbeddings.values().stream().sorted(Comparator.comparingLong(QueryEmbedding::userId)));
        Path dlqFile = out.resolve("dead-letters.jsonl");
        writeJsonl(dlqFile, deadLetters.stream());
        Summary summary = new Summary(
                produced[0],
                produced[1],
                heldOut.size(),
                (int) java.util.Arrays.stream(log.items).distinct().count(),
                last == null ? -1 : last.version(),
                last == null ? 0 : last.step(),
                last == null ? Double.NaN : last.meanLoss(),
                emitted[0],
                emitted[1],
                deadLetters.size(),
                model,
                popular,
                complete,
                (System.nanoTime() - t0) / 1e9);
        Files.write(out.resolve("summary.json"), JsonCodec.toBytes(summary));

        KafkaSettings kafka = config.kafka();
        console.println();
        console.printf(
                "== HSTU demo %s in %s ==%n",
                complete ? "finished" : "stopped", format(Duration.ofNanos(System.nanoTime() - t0)));
        console.printf(
                "events:          %,d streamed to '%s', %d bad records -> '%s' (%d dead letters)%n",
                summary.eventsStreamed(),
                kafka.interactionsTopic(),
                summary.badRecords(),
                kafka.deadLetterTopic(),
                summary.deadLetters());
        console.printf("users / items:   %,d / %,d%n", summary.users(), summary.items());
        console.printf(
                "training:        %d pass(es) over the stream, %d steps, model version %d (mean loss of its "
                        + "last steps %.4f) in %s%n",
                config.demo().trainingPasses(),
                summary.trainSteps(),
                summary.finalVersion(),
                summary.finalLoss(),
                config.training().modelDir());
        // Every streamed interaction but each user's first is a next-item target: trained once with
        // training.targets=new, once per position of its sliding window with training.targets=all.
        console.printf(
                "trained targets: %,d in the last pass (%,d interactions are targets; training.targets=%s)%n",
                last == null ? 0 : last.trainedTargets(),
                summary.eventsStreamed() - summary.users(),
                config.training().targets());
        console.printf(
                "recommendations: %,d emitted to '%s'; latest list per user in %s%n",
                emitted[0], kafka.recommendationsTopic(), recsFile);
        console.printf(
                "list files:      %s (every list, JSON Lines, committed per checkpoint)%n",
                config.serving().filesDir());
        console.printf(
                "embeddings:      %,d query embeddings emitted to '%s'; latest per user in %s%n",
                emitted[1], kafka.queryEmbeddingsTopic(), embeddingsFile);
        console.printf(
                "embedding files: %s (query.fbin + id.u64bin per model version and checkpoint)%n",
                config.serving().embeddingsDir());
        console.printf("dead letters:    %s%n", dlqFile);
        console.printf("held-out last items (leave-one-out, full ranking, %d users):%n", model.users());
        console.printf("  HSTU           HR@%d %.4f  NDCG@%d %.4f%n", k, model.hitRate(), k, model.ndcg());
        console.printf("  most-popular   HR@%d %.4f  NDCG@%d %.4f%n", k, popular.hitRate(), k, popular.ndcg());
        console.printf("summary:         %s%n", out.resolve("summary.json"));
        return summary;
    }

    private static <T> List<T> readAll(KafkaSettings kafka, String topic, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka, topic)) {
            // The jobs have stopped writing by now: read up to the topic's end.
            reader.readToEnd(Duration.ofMinutes(1), r -> out.add(JsonCodec.fromBytes(r.value(), type)));
        }
        return out;
    }

    private static void writeJsonl(Path file, Stream<?> records) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object r : records.toList()) {
                w.write(new String(JsonCodec.toBytes(r), StandardCharsets.UTF_8));
                w.newLine();
            }
        }
    }

    private static JobConfig withDemoPaths(JobConfig c, Path out) {
        return c.withFlinkAndTraining(
                        c.flink().withCheckpointDir(out.resolve("checkpoints").toString()),
                        c.training().withModelDir(out.resolve("models").toString()))
                .withServing(c.serving()
                        .withFilesDir(out.resolve("recommendation-files").toString())
                        .withEmbeddingsDir(out.resolve("query-embeddings").toString()));
    }

    private static String format(Duration d) {
        return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
