package dev.hstu.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.EmbeddingFileSink;
import dev.hstu.sink.EmbeddingPart;
import dev.hstu.sink.JsonCodec;
import dev.hstu.sink.QueryEmbedding;
import dev.hstu.sink.Recommendation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path, as {@code hstu demo} runs it, on a real slice of MovieLens: a real in-process Kafka broker, a
 * Flink MiniCluster with RocksDB and exactly-once Kafka sinks, real DJL training. Asserts on what came out of the
 * recommendations, query-embeddings and dead-letter topics (read back with read_committed) and in the list and
 * embedding files.
 */
class DemoPipelineIT {

    private static final Path RATINGS = Path.of("..", "data", "ml-latest-small", "ratings.csv");
    private static final int USERS = 40;

    @TempDir
    Path work;

    @Test
    void eventsInRecommendationsAndDeadLettersOut() throws Exception {
        // Two passes: the second warm-starts from the first's final version and must not repeat dead letters.
        // One pass over the older half, then the rest sent over 10 s while the jobs run, the next pass following
        // it, so serving's lists meanwhile give the prequential figures; a small shuffle buffer and frequent
        // versions let the model change during the stream.
        runAndCheck(
                Map.entry("demo.trainingPasses", "2"),
                Map.entry("training.mode", "in-job"),
                Map.entry("demo.streamSeconds", "10"),
                Map.entry("demo.warmupPasses", "1"),
                Map.entry("training.shuffleBuffer", "96"),
                Map.entry("training.publishEverySteps", "4"));
    }

    @Test
    void throughTheTrainingBatchesTopicAndTheStandaloneTrainer() throws Exception {
        String printed = runAndCheck(
                Map.entry("demo.trainingPasses", "1"),
                Map.entry("training.mode", "topic"),
                Map.entry("demo.streamSeconds", "0"));
        assertThat(printed).contains("Starting the standalone trainer on topic 'training-batches'");
    }

    @SafeVarargs
    private String runAndCheck(Map.Entry<String, String>... mode) throws Exception {
        Path slice = slice(work.resolve("ratings.csv"));
        Map<String, String> overrides = new HashMap<>(Map.ofEntries(
                Map.entry("demo.ratingsCsv", slice.toString()),
                Map.entry("demo.outputDir", work.resolve("out").toString()),
                Map.entry("demo.timeoutSeconds", "240"),
                Map.entry("flink.checkpointIntervalMs", "1000"),
                Map.entry("model.encoder.embeddingDim", "32"),
                Map.entry("model.stu.numLayers", "1"),
                Map.entry("model.task.numNegatives", "64"),
                Map.entry("training.batchSize", "32"),
                Map.entry("training.publishEverySteps", "20"),
                Map.entry("serving.refreshDelayMs", "500")));
        for (Map.Entry<String, String> e : mode) {
            overrides.put(e.getKey(), e.getValue());
        }
        JobConfig config = ConfigLoader.load(Path.of("..", "conf", "local.yaml"), overrides);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        DemoRunner.Summary summary = new DemoRunner(new PrintStream(console, true, StandardCharsets.UTF_8)).run(config);

        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(summary.complete())
                .as("every user got a list from the final model")
                .isTrue();

        RatingsLog log = RatingsLog.read(slice);
        assertThat(summary.users()).isEqualTo(USERS);
        assertThat(summary.eventsStreamed()).isEqualTo(log.size() - USERS);
        assertThat(summary.trainSteps()).isGreaterThan(0);
        assertThat(summary.finalLoss()).isFinite();

        // What came out of 'recommendations': one final list per user, from the final model, never an item of the
        // user's kept history (the last sequence.maxLength interactions).
        List<Recommendation> recs = readJsonl(work.resolve("out/recommendations.jsonl"), Recommendation.class);
        assertThat(recs).hasSize(USERS);
        int kept = config.sequence().maxLength();
        Map<Long, List<Long>> streamed = new HashMap<>();
        Set<Long> catalogue = new HashSet<>();
        for (int i = 0; i < log.size(); i++) {
            catalogue.add(log.items[i]);
            if (!log.heldOut[i]) {
                streamed.computeIfAbsent(log.users[i], u -> new ArrayList<>()).add(log.items[i]);
            }
        }
        Map<Long, Set<Long>> seen = new HashMap<>();
        streamed.forEach((u, items) ->
                seen.put(u, new HashSet<>(items.subList(Math.max(0, items.size() - kept), items.size()))));
        Set<String> distinctLists = new HashSet<>();
        for (Recommendation r : recs) {
            assertThat(r.modelVersion()).isEqualTo(summary.finalVersion());
            assertThat(r.items()).hasSize(10);
            for (long item : r.items()) {
                assertThat(catalogue).contains(item);
                assertThat(seen.get(r.userId())).doesNotContain(item);
            }
            distinctLists.add(java.util.Arrays.toString(r.items()));
        }
        assertThat(distinctLists).as("lists are personalised").hasSizeGreaterThan(1);

        // What came out of 'interactions-dlq': each bad record once, raw payload kept, with its reason.
        List<DeadLetter> letters = readJsonl(work.resolve("out/dead-letters.jsonl"), DeadLetter.class);
        assertThat(letters)
                .extracting(DeadLetter::reason)
                .hasSize(6)
                .anySatisfy(r -> assertThat(r).startsWith("malformed JSON"))
                .anySatisfy(r -> assertThat(r).isEqualTo("missing user_id"))
                .anySatisfy(r -> assertThat(r).startsWith("bad ts: -5"))
                .anySatisfy(r -> assertThat(r).contains("in the future"))
                .anySatisfy(r -> assertThat(r).startsWith("bad user_id: \"abc\""))
                .anySatisfy(r -> assertThat(r).startsWith("bad action: \"purchase\""));
        assertThat(letters).allSatisfy(l -> assertThat(l.raw()).isNotEmpty());

        // The same lists as committed JSON Lines files (in-progress files of the cancelled job are not counted).
        List<Recommendation> filed = new ArrayList<>();
        try (var files = Files.walk(work.resolve("out/recommendation-files"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("recommendations")
                            && p.getFileName().toString().endsWith(".jsonl"))
                    .toList()) {
                filed.addAll(readJsonl(f, Recommendation.class));
            }
        }
        assertThat(filed).isNotEmpty().hasSizeLessThanOrEqualTo((int) summary.recommendationsEmitted());
        assertThat(filed).allSatisfy(r -> assertThat(r.items()).hasSize(10));

        checkQueryEmbeddings(config, summary, log, recs);

        JsonNode summaryJson =
                JsonCodec.MAPPER.readTree(work.resolve("out/summary.json").toFile());
        assertThat(summaryJson.path("model").path("hitRate").asDouble()).isBetween(0.0, 1.0);
        checkPrequential(config, summary, summaryJson);
        assertThat(printed).contains("HR@10", "most-popular", "recommendations.jsonl", "query-embeddings.jsonl");
        return printed;
    }

    /**
     * The prequential figures in the summary: every streamed event after the warm-up part counted once, in windows
     * that cover the live part, no hit without a list emitted before the event, the same figures in summary.json.
     */
    private static void checkPrequential(JobConfig config, DemoRunner.Summary summary, JsonNode json) {
        PrequentialEvaluation.Result p = summary.prequential();
        if (config.demo().streamSeconds() == 0) {
            assertThat(p).as("no live part, no prequential figures").isNull();
            assertThat(json.path("prequential").isNull()
                            || json.path("prequential").isMissingNode())
                    .isTrue();
            return;
        }
        assertThat(p).isNotNull();
        assertThat(p.warmupEvents() + p.events()).isEqualTo(summary.eventsStreamed());
        assertThat(p.windows()).hasSize(20);
        assertThat(p.windows().get(0).fromEvent()).isEqualTo(p.warmupEvents());
        assertThat(p.windows().get(19).toEvent()).isEqualTo(summary.eventsStreamed());
        assertThat(p.windows()).allSatisfy(w -> assertThat(w.hits()).isBetween(0, w.covered()));
        assertThat(p.hitRate()).isBetween(0.0, p.coverage());
        assertThat(p.mostPopularHitRate()).isBetween(0.0, 1.0);
        assertThat(json.path("prequential").path("hitRate").asDouble()).isEqualTo(p.hitRate());
        assertThat(json.path("prequential").path("windows").size()).isEqualTo(20);
    }

    /**
     * What came out of 'query-embeddings' (the latest per user, as the demo read it with read_committed) and what
     * the embedding files committed for the final version: one unit vector per user from the final model, for the
     * event its final list reflects, and the files hold the same vectors under the same ids.
     */
    private void checkQueryEmbeddings(
            JobConfig config, DemoRunner.Summary summary, RatingsLog log, List<Recommendation> recs)
            throws IOException {
        int dim = config.model().encoder().embeddingDim();
        List<QueryEmbedding> embeddings = readJsonl(work.resolve("out/query-embeddings.jsonl"), QueryEmbedding.class);
        assertThat(embeddings).hasSize(USERS);
        assertThat(summary.queryEmbeddingsEmitted()).isGreaterThanOrEqualTo(USERS);
        Map<Long, Long> lastTs = log.lastStreamedTimestamps();
        Map<Long, Recommendation> lists = new HashMap<>();
        recs.forEach(r -> lists.put(r.userId(), r));
        Map<Long, float[]> byUser = new HashMap<>();
        for (QueryEmbedding e : embeddings) {
            assertThat(e.modelVersion()).isEqualTo(summary.finalVersion());
            assertThat(e.eventTimeMs())
                    .isEqualTo(lastTs.get(e.userId()))
                    .isEqualTo(lists.get(e.userId()).eventTimeMs());
            assertThat(e.embedding()).hasSize(dim);
            double norm = 0;
            for (float x : e.embedding()) {
                norm += (double) x * x;
            }
            assertThat(Math.sqrt(norm)).as("user %d", e.userId()).isCloseTo(1.0, within(1e-5));
            byUser.put(e.userId(), e.embedding());
        }
        assertThat(byUser.values().stream().map(java.util.Arrays::toString).distinct())
                .as("queries are personalised")
                .hasSizeGreaterThan(1);

        // The demo writes them under its output directory.
        Path dir = work.resolve("out/query-embeddings");
        List<Path> parts = EmbeddingFileSink.committedParts(dir, summary.finalVersion());
        assertThat(parts)
                .as("committed parts of the final version under %s", dir)
                .isNotEmpty();
        Map<Long, float[]> filed = new HashMap<>();
        for (Path part : parts) {
            byte[] fbin = Files.readAllBytes(part.resolve(EmbeddingPart.VECTORS));
            ByteBuffer header = ByteBuffer.wrap(fbin).order(ByteOrder.LITTLE_ENDIAN);
            int count = header.getInt();
            assertThat(header.getInt()).as("dim in %s", part).isEqualTo(dim);
            assertThat(fbin).hasSize(8 + count * dim * 4);
            long[] ids = EmbeddingFiles.readU64(part.resolve(EmbeddingPart.IDS));
            float[][] vectors = EmbeddingFiles.readFbin(part.resolve(EmbeddingPart.VECTORS));
            assertThat(ids).as("ids in %s", part).hasSize(count).doesNotHaveDuplicates();
            for (int i = 0; i < count; i++) {
                filed.put(ids[i], vectors[i]); // parts in name order: the last one holding a user is the newest
            }
        }
        assertThat(filed.keySet()).isEqualTo(byUser.keySet());
        filed.forEach((user, vector) -> assertThat(vector)
                .as("user %d in the files and the topic", user)
                .isEqualTo(byUser.get(user)));
    }

    /** The first {@value #USERS} users of the bundled log. */
    private static Path slice(Path target) throws IOException {
        List<String> lines = Files.readAllLines(RATINGS);
        StringBuilder out = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            if (Long.parseLong(line.substring(0, line.indexOf(','))) <= USERS) {
                out.append(line).append('\n');
            }
        }
        Files.writeString(target, out);
        return target;
    }

    private static <T> List<T> readJsonl(Path file, Class<T> type) throws IOException {
        return Files.readAllLines(file).stream()
                .map(l -> JsonCodec.fromBytes(l.getBytes(StandardCharsets.UTF_8), type))
                .toList();
    }
}
