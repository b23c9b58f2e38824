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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hstu demo}: the whole path on one machine. Starts a real Kafka broker (unless the configuration names an
 * external one) and a Flink MiniCluster with RocksDB, streams a MovieLens log into the interactions topic in time
 * order (each user's last interaction held out; the older part before the jobs start and trained on first, the rest
 * while they run, see {@link DemoStream}), runs the training and serving jobs side by side, and ends with a
 * prequential evaluation of the lists serving emitted during the live part ({@link PrequentialEvaluation}) and a
 * leave-one-out evaluation of the final recommendations that came out of Kafka. It waits until every user has a list
 * and a query embedding from the final model in Kafka, and in the embedding files.
 */
public final class DemoRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** Equal runs of live events the prequential curve is cut into. */
    static final int PREQUENTIAL_WINDOWS = 20;

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
            PrequentialEvaluation.Result prequential,
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
        config = withDecayOverPasses(config, log);

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

            boolean live = config.demo().streamSeconds() > 0;
            DemoStream stream = new DemoStream(
                    kafka,
                    log,
                    MovieLensActions.clickAtOrAbove(config.demo().clickRating()),
                    config.demo().streamSeconds(),
                    live ? config.demo().warmupShare() : 0);
            console.printf("Producing events to topic '%s' in timestamp order%n", kafka.interactionsTopic());
            if (live) {
                int[] warm = stream.produceWarmup();
                console.printf(
                        "  %,d events (the warm-up part, %.0f%%) and %d bad records produced; the rest follows"
                                + " while the jobs run%n",
                        warm[0], 100 * config.demo().warmupShare(), warm[1]);
            } else {
                reportProduced(stream.produceLive());
            }
            return runJobs(config, log, heldOut, lastTs, stream, out, t0);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private void reportProduced(int[] produced) {
        console.printf("  %,d events and %d deliberately bad records produced%n", produced[0], produced[1]);
    }

    /**
     * Sends the live part on its schedule while the jobs run; a failure is reported when the demo ends, unless the
     * demo stopped the producer itself ({@code stopping}).
     */
    private Thread startProducer(
            DemoStream stream,
            KafkaSettings kafka,
            int seconds,
            AtomicReference<Throwable> failure,
            AtomicBoolean stopping) {
        console.printf(
                "Producing the rest of the events to topic '%s' in timestamp order over about %d s%n",
                kafka.interactionsTopic(), seconds);
        Thread thread = new Thread(
                () -> {
                    try {
                        reportProduced(stream.produceLive());
                    } catch (RuntimeException e) {
                        if (!stopping.get()) {
                            failure.set(e);
                            LOG.error("Producing the demo's events failed", e);
                        }
                    }
                },
                "hstu-demo-producer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private Summary runJobs(
            JobConfig config,
            RatingsLog log,
            Map<Long, Long> heldOut,
            Map<Long, Long> lastTs,
            DemoStream stream,
            Path out,
            long t0)
            throws Exception {
        KafkaSettings kafka = config.kafka();
        int slots = 2 * config.flink().parallelism();
        console.printf(
                "Starting a Flink MiniCluster (%d slots, %s state backend, checkpoint every %d ms)%n",
                slots, config.flink().stateBackend(), config.flink().checkpointIntervalMs());
        Map<Long, Recommendation> latest = new HashMap<>();
        List<Recommendation> allLists = new ArrayList<>();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        AtomicBoolean stoppingProducer = new AtomicBoolean();
        Thread producer = null;
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
            List<PassPlan> plan = passes(config, stream);
            int passes = plan.size();
            // The in-job trainer ends every pass with a final version; the standalone one only once, at the end.
            int finalVersionsExpected = standaloneTrainer == null ? passes : 1;
            int pass = 1;
            JobID training = submitPass(flink, config, plan, pass);
            console.printf(
                    "Jobs running: '%s' (bounded replay of the topic, warm-starting from the previous pass)"
                            + " and 'HSTU serving'%n",
                    plan.get(0).name());
            if (plan.get(0).startsLive()) {
                producer =
                        startProducer(stream, kafka, config.demo().streamSeconds(), producerFailure, stoppingProducer);
            }

            long deadline = System.nanoTime()
                    + Duration.ofSeconds(config.demo().timeoutSeconds()).toNanos();
            long nextReport = 0;
            int[] finalVersionsSeen = {0};
            while (System.nanoTime() < deadline && producerFailure.get() == null) {
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
                    allLists.add(rec);
                });
                embeddingsEmitted += embeddings.poll(Duration.ofMillis(50), r -> {
                    QueryEmbedding e = JsonCodec.fromBytes(r.value(), QueryEmbedding.class);
                    latestEmbeddings.put(e.userId(), e);
                });
                if (training != null && flink.isFinished(training)) {
                    flink.await(training, Duration.ofSeconds(10));
                    console.printf("  %s finished%n", plan.get(pass - 1).name());
                    training = null;
                    trainingInputDone.set(pass == passes);
                    if (pass < passes) {
                        pass++;
                        training = submitPass(flink, config, plan, pass);
                        if (plan.get(pass - 1).startsLive()) {
                            producer = startProducer(
                                    stream, kafka, config.demo().streamSeconds(), producerFailure, stoppingProducer);
                        }
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
            if (producer != null) {
                stoppingProducer.set(true);
                producer.interrupt();
                producer.join(Duration.ofSeconds(30).toMillis());
            }
        }
        if (producerFailure.get() != null) {
            throw new IllegalStateException(
                    "the demo's events could not be produced: "
                            + producerFailure.get().getMessage(),
                    producerFailure.get());
        }
        List<DeadLetter> deadLetters = readAll(kafka, kafka.deadLetterTopic(), DeadLetter.class);
        return summarise(
                config,
                log,
                heldOut,
                stream,
                out,
                latest,
                allLists,
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

    /**
     * One training job of the demo.
     *
     * @param stopAt where in the topic it ends
     * @param writeDeadLetters only the first pass to read the bad records writes their dead letters
     * @param startsLive the live part of the stream is sent while this pass runs, which follows it
     */
    private record PassPlan(
            String name, Map<TopicPartition, Long> stopAt, boolean writeDeadLetters, boolean startsLive) {}

    /**
     * With a live part: {@code demo.warmupPasses} over the warm-up part (when it has events), then {@code
     * demo.trainingPasses} over the whole stream, the first of them following the live part as it is sent. Without:
     * the passes over the whole topic.
     */
    private static List<PassPlan> passes(JobConfig config, DemoStream stream) {
        boolean live = config.demo().streamSeconds() > 0;
        int warmup = live && stream.warmupEvents() > 0 ? config.demo().warmupPasses() : 0;
        int full = config.demo().trainingPasses();
        List<PassPlan> plan = new ArrayList<>();
        for (int p = 1; p <= warmup; p++) {
            plan.add(new PassPlan(
                    "HSTU training (warm-up pass " + p + " of " + warmup + ")",
                    stream.warmupEnd(),
                    p == 1 && stream.badRecordsInWarmup(),
                    false));
        }
        for (int p = 1; p <= full; p++) {
            String name = full == 1 && warmup == 0
                    ? "HSTU training"
                    : "HSTU training (pass " + p + " of " + full + (live && p == 1 ? ", following the stream" : "")
                            + ")";
            boolean firstToMeetBad = p == 1 && (warmup == 0 || !stream.badRecordsInWarmup());
            plan.add(new PassPlan(name, stream.end(), firstToMeetBad, live && p == 1));
        }
        return plan;
    }

    private static JobID submitPass(LocalFlinkCluster flink, JobConfig config, List<PassPlan> plan, int pass)
            throws Exception {
        PassPlan p = plan.get(pass - 1);
        return flink.submit(TrainingJob.kafkaJob(config, p.stopAt(), p.writeDeadLetters()), p.name());
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
            DemoStream stream,
            Path out,
            Map<Long, Recommendation> latest,
            List<Recommendation> allLists,
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
        List<PrequentialEvaluation.Event> sent = stream.sent();
        boolean live = config.demo().streamSeconds() > 0;
        PrequentialEvaluation.Result prequential = !live || sent.size() <= stream.warmupEvents()
                ? null
                : PrequentialEvaluation.evaluate(sent, allLists, k, stream.warmupEvents(), PREQUENTIAL_WINDOWS);
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
                sent.size(),
                stream.badRecords(),
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
                prequential,
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
                "training:        %d pass(es) over the stream (after %d over its warm-up part), %d steps, model "
                        + "version %d (mean loss of its last steps %.4f) in %s%n",
                config.demo().trainingPasses(),
                live && stream.warmupEvents() > 0 ? config.demo().warmupPasses() : 0,
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
        if (prequential != null) {
            console.printf(
                    "prequential (each event after the %,d of the warm-up part against the user's list emitted"
                            + " before it):%n",
                    prequential.warmupEvents());
            console.printf(
                    "  HSTU           HR@%d %.4f  (%.1f%% of events had a list; HR@%d %.4f of those)%n",
                    k, prequential.hitRate(), 100 * prequential.coverage(), k, prequential.hitRateCovered());
            console.printf("  most-popular   HR@%d %.4f%n", k, prequential.mostPopularHitRate());
        }
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

    /**
     * Without a configured {@code model.optimizer.totalSteps}, the steps the demo's passes will take, so that the
     * learning rate decays to 0 over them as {@code hstu train}'s does over its epochs (a stream without an end keeps
     * the constant rate after warm-up). A pass trains each user's sequence every {@code sequence.trainingStride}
     * events plus the rest at its end.
     */
    private JobConfig withDecayOverPasses(JobConfig config, RatingsLog log) {
        if (config.model().optimizer().totalSteps() > 0) {
            return config;
        }
        boolean live = config.demo().streamSeconds() > 0;
        int streamedEvents = 0;
        for (boolean held : log.heldOut) {
            streamedEvents += held ? 0 : 1;
        }
        int warmupEvents =
                live ? (int) Math.floor(streamedEvents * config.demo().warmupShare()) : 0;
        Map<Long, Integer> all = new HashMap<>();
        Map<Long, Integer> warmup = new HashMap<>();
        int seen = 0;
        for (int i = 0; i < log.size(); i++) {
            if (!log.heldOut[i]) {
                all.merge(log.users[i], 1, Integer::sum);
                if (seen++ < warmupEvents) {
                    warmup.merge(log.users[i], 1, Integer::sum);
                }
            }
        }
        int warmupPasses = warmupEvents > 0 ? config.demo().warmupPasses() : 0;
        long total = warmupPasses * steps(config, warmup) + config.demo().trainingPasses() * steps(config, all);
        console.printf(
                "  learning rate: warm-up, then cosine decay to 0 over the %d pass(es), about %,d steps%n",
                warmupPasses + config.demo().trainingPasses(), total);
        // As hstu train: the decay ends one step after the last, and a short run warms up over half of it at most.
        int warmupSteps = (int) Math.min(config.model().optimizer().warmupSteps(), total / 2);
        return config.withModel(config.model()
                .with("optimizer.totalSteps", total + 1)
                .with("optimizer.warmupSteps", warmupSteps)
                .validate());
    }

    /** Steps of one pass over users with these event counts: a sequence every stride events, the rest at the end. */
    private static long steps(JobConfig config, Map<Long, Integer> events) {
        int stride = config.sequence().trainingStride();
        long sequences = events.values().stream()
                .filter(n -> n >= 2)
                .mapToLong(n -> (n + stride - 1) / stride)
                .sum();
        int batch = config.training().batchSize();
        return (sequences + batch - 1) / batch;
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
