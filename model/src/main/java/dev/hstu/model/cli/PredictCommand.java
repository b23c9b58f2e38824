package dev.hstu.model.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.seed.PredictCandidate;
import dev.hstu.formats.seed.SeedDataDirectory;
import dev.hstu.formats.seed.SeedIndexer;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.model.HstuModel;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.RankingMetrics;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.io.ItemSideColumn;
import dev.hstu.model.serve.ExactCandidateTopK;
import dev.hstu.model.serve.HnswCandidateIndex;
import dev.hstu.model.serve.TopK;
import dev.hstu.model.tasks.match.ItemCatalogue;
import dev.hstu.model.tasks.match.ItemSideTable;
import dev.hstu.model.tasks.match.MatchTask;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.function.LongToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hstu predict}: the seed's inference over its data directory. The query of every user in
 * {@code predict_seq.jsonl}, the embedding of every candidate in {@code predict_set.jsonl}, and each
 * user's top-k candidates by exact search and with an HNSW index, written in the seed's files.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The seed's inference over its data directory (predict_seq.jsonl, predict_set.jsonl, indexer.json, "
                    + "creative_emb/). Writes to --out:",
            "  query.fbin + query_user_id.u64bin   query embedding of each predict_seq user (original user ids)",
            "  embedding.fbin + id.u64bin           each candidate's item embedding and its retrieval_id "
                    + "(zeros for candidates the model has no embedding for; they are never recommended; a Match "
                    + "model's item tower embeds every candidate, from its features when it has no id row)",
            "  retrive_id2creative_id.json          retrieval_id -> creative_id (the seed's spelling)",
            "  id<K>.u64bin                          HNSW top-K retrieval ids per query (the seed's id100.u64bin "
                    + "for K=100); exact-id<K>.u64bin the exact top-K",
            "  topk.jsonl, predict-summary.json     per user and method: creative ids, retrieval ids, scores; "
                    + "counts, timings and, with --truth, HR@K / NDCG@K and HNSW's recall of the exact top-K",
            "Binary files are little-endian: .fbin = uint32 rows, uint32 dim, float32s; .u64bin = uint32 rows, "
                    + "uint32 cols, uint64s."
        })
public final class PredictCommand implements Callable<Integer> {

    /** Query embeddings, one row per predict_seq user. */
    public static final String QUERY_FBIN = "query.fbin";
    /** The original user id of each query row. */
    public static final String QUERY_USER_IDS = "query_user_id.u64bin";
    /** Candidate embeddings, predict_set order. */
    public static final String CANDIDATE_FBIN = "embedding.fbin";
    /** The retrieval id of each candidate row. */
    public static final String CANDIDATE_IDS = "id.u64bin";
    /** retrieval_id to creative_id. */
    public static final String RETRIEVAL_TO_CREATIVE = "retrive_id2creative_id.json";
    /** Per user and method: the recommended candidates. */
    public static final String TOPK = "topk.jsonl";
    /** Counts, timings and metrics. */
    public static final String SUMMARY = "predict-summary.json";

    /** The retrieval methods. */
    public enum Retrieval {
        EXACT,
        HNSW,
        BOTH
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Vocabulary files: of {@code hstu train}, and of the jobs' trainer. */
    /** Scores held per batch of queries: batches shrink as the candidate set grows. */
    private static final long SCORES_PER_BATCH = 1L << 24;

    @Option(
            names = "--model",
            required = true,
            description = "model version directory, or a directory of versions (newest is used)")
    Path modelPath;

    @Option(names = "--data", required = true, description = "the seed data directory")
    Path data;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--k", defaultValue = "10", description = "candidates per user (default ${DEFAULT-VALUE})")
    int k;

    @Option(
            names = "--retrieval",
            defaultValue = "BOTH",
            converter = RetrievalConverter.class,
            description = "exact, hnsw or both (default both)")
    Retrieval retrieval;

    @Option(names = "--hnsw-m", defaultValue = "16", description = "HNSW graph degree (default ${DEFAULT-VALUE})")
    int hnswM;

    @Option(
            names = "--hnsw-ef-construction",
            defaultValue = "200",
            description = "HNSW build beam width (default ${DEFAULT-VALUE})")
    int efConstruction;

    @Option(
            names = "--hnsw-ef-search",
            defaultValue = "400",
            description = "HNSW search beam width (default ${DEFAULT-VALUE})")
    int efSearch;

    @Option(
            names = "--include-seen",
            description = "allow candidates already in the user's history (default: excluded)")
    boolean includeSeen;

    @Option(
            names = "--truth",
            description = "JSON lines {\"user_id\": id, \"creative_id\": id}: score the top-K (HR@K, NDCG@K)")
    Path truth;

    @Option(names = "--batch-size", defaultValue = "256", description = "users encoded at once")
    int batchSize;

    @Option(
            names = "--item-file",
            paramLabel = "NAME=PATH",
            description =
                    "a side file a Match model's item tower reads (e.g. movies=movies.csv for model.match.genres);"
                            + " default: the file in --data")
    Map<String, Path> itemFiles = new LinkedHashMap<>();

    @Mixin
    private SavedModelOptions savedModel = new SavedModelOptions();

    @Mixin
    MultimodalOptions multimodal = new MultimodalOptions();

    private PrintStream log;
    /** The predict_seq users' ids as the file writes them (reids when there is an index), in query order. */
    private long[] writtenIds;

    @Override
    public Integer call() throws Exception {
        log = System.out;
        if (k < 1 || batchSize < 1 || hnswM < 2 || efConstruction < 1 || efSearch < 1) {
            throw new IllegalArgumentException("--k, --batch-size, --hnsw-ef-* must be >= 1 and --hnsw-m >= 2");
        }
        SeedDataDirectory seed = new SeedDataDirectory(data);
        Optional<SeedIndexer> indexer = seed.indexer();
        Path version = ModelStore.resolve(modelPath);
        ItemVocabulary vocabulary = ItemVocabulary.load(ModelFiles.vocabulary(version));
        Files.createDirectories(out);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", version.toString());
        summary.put("data", data.toString());
        try (HstuModel model = savedModel.load(version)) {
            refuseInputsSeqJsonlLacks(model);
            if (multimodal.files.isEmpty()
                    && !model.config().features().multimodalDims().isEmpty()) {
                // the directory's creative_emb/ entries of the features this model takes
                seed.multimodalFiles().forEach((feature, file) -> {
                    if (model.config().features().multimodalDims().containsKey(feature)) {
                        multimodal.files.put(feature, file);
                    }
                });
            }
            multimodal.attach(model, vocabulary, log);
            model.setItemRowsInUse(vocabulary.size());
            int d = model.queryWidth();

            long start = System.nanoTime();
            Map<Long, long[]> userFeatures = model.config().features().userFeatureSlots() == 0
                    ? Map.of()
                    : InteractionFiles.userFeatures(seed.require(SeedDataDirectory.PREDICT_SEQ));
            UserSequences users = queries(seed, indexer, vocabulary);
            long[] userIds = users.userIds();
            float[] queries = encode(model, users, userFeatures);
            EmbeddingFiles.writeFbin(out.resolve(QUERY_FBIN), queries, d);
            EmbeddingFiles.writeU64(out.resolve(QUERY_USER_IDS), userIds);
            summary.put("queries", users.size());
            summary.put("queryMs", (System.nanoTime() - start) / 1_000_000);
            log.printf(
                    "predict: %,d queries from %s encoded in %.1f s%n",
                    users.size(), seed.require(SeedDataDirectory.PREDICT_SEQ), (System.nanoTime() - start) / 1e9);

            List<PredictCandidate> candidates = seed.candidates();
            Map<Long, Integer> candidateOfCreative = new HashMap<>();
            float[] candidateVectors = new float[candidates.size() * d];
            boolean[] known = new boolean[candidates.size()];
            long[] creativeIds = new long[candidates.size()];
            for (int c = 0; c < candidates.size(); c++) {
                creativeIds[c] = candidates.get(c).creativeId();
            }
            // Match embeds every candidate with its item tower, from its features when it has no id row
            float[] towerVectors = model.task() instanceof MatchTask match
                    ? match.embedAll(model, itemTowerCandidates(model, match, vocabulary, creativeIds))
                    : null;
            float[] items = towerVectors == null ? model.itemEmbeddings() : null;
            long[] retrievalIds = new long[candidates.size()];
            Map<String, Long> retrievalToCreative = new LinkedHashMap<>();
            int knownCount = 0;
            for (int c = 0; c < candidates.size(); c++) {
                PredictCandidate candidate = candidates.get(c);
                retrievalIds[c] = candidate.retrievalId();
                retrievalToCreative.put(Long.toUnsignedString(candidate.retrievalId()), candidate.creativeId());
                candidateOfCreative.putIfAbsent(candidate.creativeId(), c);
                int row = vocabulary.indexOf(candidate.creativeId());
                if (towerVectors != null) {
                    System.arraycopy(towerVectors, c * d, candidateVectors, c * d, d);
                    known[c] = true;
                    knownCount++;
                } else if (row >= ItemVocabulary.FIRST_ITEM) {
                    System.arraycopy(items, (row - ItemVocabulary.FIRST_ITEM) * d, candidateVectors, c * d, d);
                    known[c] = true;
                    knownCount++;
                }
            }
            EmbeddingFiles.writeFbin(out.resolve(CANDIDATE_FBIN), candidateVectors, d);
            EmbeddingFiles.writeU64(out.resolve(CANDIDATE_IDS), retrievalIds);
            AtomicFiles.write(out.resolve(RETRIEVAL_TO_CREATIVE), o -> JSON.writeValue(o, retrievalToCreative));
            summary.put("candidates", candidates.size());
            summary.put("candidatesWithEmbedding", knownCount);
            log.printf(
                    "predict: %,d candidates, %,d with an item embedding (%,d unknown to the model, never recommended)%n",
                    candidates.size(), knownCount, candidates.size() - knownCount);

            IntPredicate[] seen = includeSeen ? null : seen(users, vocabulary, candidateOfCreative);
            IntPredicate rankable = c -> known[c];
            Map<String, TopK[]> results = new LinkedHashMap<>();
            if (retrieval != Retrieval.HNSW) {
                long t = System.nanoTime();
                results.put("exact", exact(model, queries, d, candidateVectors, rankable, seen));
                summary.put("exactMs", (System.nanoTime() - t) / 1_000_000);
                log.printf(
                        "predict: exact top-%d of %,d queries in %.1f s%n",
                        k, users.size(), (System.nanoTime() - t) / 1e9);
            }
            if (retrieval != Retrieval.EXACT) {
                results.put("hnsw", hnsw(queries, d, candidateVectors, rankable, seen, summary));
            }
            writeResults(results, userIds, retrievalIds, candidates);
            if (results.containsKey("exact") && results.containsKey("hnsw")) {
                double recall = recall(results.get("hnsw"), results.get("exact"));
                summary.put("hnswRecallOfExact", recall);
                log.printf(Locale.ROOT, "predict: HNSW recall@%d of the exact top-%d: %.4f%n", k, k, recall);
            }
            if (truth != null) {
                summary.put("metrics", score(results, userIds, candidates));
            }
        }
        AtomicFiles.write(
                out.resolve(SUMMARY), o -> JSON.writerWithDefaultPrettyPrinter().writeValue(o, summary));
        log.printf("predict: wrote %s%n", out);
        return 0;
    }

    /**
     * The candidates as the item tower reads them: their id rows, and the side values of the tower's side columns
     * from {@code --item-file NAME=PATH}, else the column's default file in the data directory.
     */
    private ItemCatalogue itemTowerCandidates(
            HstuModel model, MatchTask match, ItemVocabulary vocabulary, long[] creativeIds) throws IOException {
        List<ItemSideColumn> columns = MatchTask.sideColumns(model.config());
        List<Map<Long, Integer>> side = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (ItemSideColumn column : columns) {
            Path file = itemFiles.getOrDefault(column.file(), data.resolve(column.defaultName()));
            files.add(file);
            side.add(column.reader().read(file));
        }
        match.attach(ItemSideTable.of(
                columns, side, files, vocabulary, model.config().items().capacity()));
        ItemCatalogue catalogue = ItemCatalogue.of(creativeIds, vocabulary, side, files);
        log.printf(
                "predict: item tower over %,d candidates, %,d without an id row (scored from their features)%n",
                catalogue.size(), catalogue.withoutIdRow());
        return catalogue;
    }

    private static void refuseInputsSeqJsonlLacks(HstuModel model) {
        if (model.config().features().denseDim() > 0) {
            throw new IllegalArgumentException(
                    "the model reads " + model.config().features().denseDim() + " dense features per event "
                            + "(e.g. the jobs' CTR channels), which predict_seq.jsonl does not carry; predict needs a model without them");
        }
    }

    /** The predict_seq users with their histories as model rows, ids mapped through the index. */
    private UserSequences queries(SeedDataDirectory seed, Optional<SeedIndexer> indexer, ItemVocabulary vocabulary)
            throws IOException {
        UserSequences.Collector events = InteractionFiles.seqJsonl(seed.require(SeedDataDirectory.PREDICT_SEQ));
        LongToIntFunction itemRow = indexer.<LongToIntFunction>map(ix -> reid -> {
                    try {
                        return vocabulary.indexOf(ix.itemId(reid));
                    } catch (IllegalArgumentException e) {
                        return ItemVocabulary.OUT_OF_VOCABULARY;
                    }
                })
                .orElse(vocabulary::indexOf);
        UserSequences users = events.build(vocabulary, itemRow);
        writtenIds = users.userIds().clone();
        if (indexer.isPresent()) {
            long[] ids = users.userIds();
            for (int u = 0; u < ids.length; u++) {
                ids[u] = indexer.get().userId(ids[u]);
            }
        }
        return users;
    }

    /**
     * @param userFeatures user id as written in predict_seq.jsonl (its reid when there is an index) to its keys,
     *     for a model with user-feature slots; the first slots are packed, a user without any gets empty slots
     */
    private float[] encode(HstuModel model, UserSequences users, Map<Long, long[]> userFeatures) {
        int d = model.queryWidth();
        int maxLen = model.config().encoder().maxSeqLen();
        int slots = model.config().features().userFeatureSlots();
        long[] slotKeys = new long[slots];
        float[] queries = new float[users.size() * d];
        PackedBatch.Builder builder = PackedBatch.builder(0, slots);
        for (int from = 0; from < users.size(); from += batchSize) {
            int to = Math.min(users.size(), from + batchSize);
            builder.reset();
            for (int u = from; u < to; u++) {
                int n = users.items().get(u).length;
                int kept = Math.min(n, maxLen);
                if (slots == 0) {
                    users.addTo(builder, u, n - kept, kept, kept - 1);
                    continue;
                }
                for (int i = n - kept; i < n; i++) {
                    builder.addEvent(
                            users.items().get(u)[i],
                            users.actions().get(u)[i],
                            users.timestamps().get(u)[i]);
                }
                long[] keys = userFeatures.getOrDefault(writtenIds[u], new long[0]);
                Arrays.fill(slotKeys, PackedBatch.NO_USER_FEATURE);
                System.arraycopy(keys, 0, slotKeys, 0, Math.min(keys.length, slots));
                builder.endSequence(kept - 1, slotKeys, 0);
            }
            System.arraycopy(model.encodeQueries(builder.build()), 0, queries, from * d, (to - from) * d);
        }
        return queries;
    }

    /** Per user, the candidate rows of the items in their history. */
    private static IntPredicate[] seen(
            UserSequences users, ItemVocabulary vocabulary, Map<Long, Integer> candidateOfCreative) {
        IntPredicate[] seen = new IntPredicate[users.size()];
        for (int u = 0; u < users.size(); u++) {
            int[] rows = Arrays.stream(users.items().get(u))
                    .filter(r -> r >= ItemVocabulary.FIRST_ITEM)
                    .map(r -> candidateOfCreative.getOrDefault(vocabulary.idOf(r), -1))
                    .filter(c -> c >= 0)
                    .sorted()
                    .distinct()
                    .toArray();
            seen[u] = c -> Arrays.binarySearch(rows, c) >= 0;
        }
        return seen;
    }

    private TopK[] exact(
            HstuModel model, float[] queries, int d, float[] candidates, IntPredicate rankable, IntPredicate[] seen) {
        int n = queries.length / d;
        int rows = candidates.length / d;
        int batch = (int) Math.max(1, Math.min(batchSize, SCORES_PER_BATCH / Math.max(1, rows)));
        TopK[] out = new TopK[n];
        try (ExactCandidateTopK search = new ExactCandidateTopK(model.manager(), candidates, d, rankable)) {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                TopK[] part = search.topK(
                        Arrays.copyOfRange(queries, from * d, to * d),
                        k,
                        seen == null ? null : Arrays.copyOfRange(seen, from, to));
                System.arraycopy(part, 0, out, from, part.length);
            }
        }
        return out;
    }

    private TopK[] hnsw(
            float[] queries,
            int d,
            float[] candidates,
            IntPredicate rankable,
            IntPredicate[] seen,
            Map<String, Object> summary)
            throws InterruptedException {
        long t = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        HnswCandidateIndex index = HnswCandidateIndex.build(
                candidates,
                d,
                rankable,
                hnswM,
                efConstruction,
                threads,
                (done, max) -> log.printf("predict: HNSW index %,d of %,d candidates%n", done, max));
        index.setEf(efSearch);
        summary.put("hnswBuildMs", (System.nanoTime() - t) / 1_000_000);
        summary.put("hnsw", Map.of("m", hnswM, "efConstruction", efConstruction, "efSearch", efSearch));
        log.printf(
                "predict: HNSW index of %,d candidates (M=%d, efConstruction=%d) built in %.1f s%n",
                index.size(), hnswM, efConstruction, (System.nanoTime() - t) / 1e9);
        t = System.nanoTime();
        int n = queries.length / d;
        TopK[] out = new TopK[n];
        for (int q = 0; q < n; q++) {
            IntPredicate excluded = seen == null ? c -> false : seen[q];
            float[] query = Arrays.copyOfRange(queries, q * d, (q + 1) * d);
            // ask for more than k while seen candidates take places, up to the whole index
            int want = k;
            TopK kept;
            while (true) {
                TopK found = index.nearest(query, want);
                kept = filter(found, excluded, k);
                if (kept.size() == k || found.size() < want || want >= index.size()) {
                    break;
                }
                want = Math.min(index.size(), want * 2 + k);
            }
            out[q] = kept;
        }
        summary.put("hnswSearchMs", (System.nanoTime() - t) / 1_000_000);
        log.printf(
                "predict: HNSW top-%d of %,d queries (ef=%d) in %.1f s%n",
                k, n, efSearch, (System.nanoTime() - t) / 1e9);
        return out;
    }

    private static TopK filter(TopK found, IntPredicate excluded, int k) {
        int[] rows = new int[Math.min(k, found.size())];
        float[] scores = new float[rows.length];
        int n = 0;
        for (int i = 0; i < found.size() && n < rows.length; i++) {
            if (!excluded.test(found.items()[i])) {
                rows[n] = found.items()[i];
                scores[n++] = found.scores()[i];
            }
        }
        return new TopK(Arrays.copyOf(rows, n), Arrays.copyOf(scores, n));
    }

    private void writeResults(
            Map<String, TopK[]> results, long[] userIds, long[] retrievalIds, List<PredictCandidate> candidates)
            throws IOException {
        for (Map.Entry<String, TopK[]> e : results.entrySet()) {
            long[] matrix = new long[userIds.length * k];
            for (int q = 0; q < userIds.length; q++) {
                TopK top = e.getValue()[q];
                for (int i = 0; i < top.size(); i++) {
                    matrix[q * k + i] = retrievalIds[top.items()[i]];
                }
            }
            String name = (e.getKey().equals("hnsw") ? "" : e.getKey() + "-") + "id" + k + ".u64bin";
            EmbeddingFiles.writeU64Matrix(out.resolve(name), matrix, k);
        }
        AtomicFiles.write(out.resolve(TOPK), o -> {
            for (Map.Entry<String, TopK[]> e : results.entrySet()) {
                for (int q = 0; q < userIds.length; q++) {
                    TopK top = e.getValue()[q];
                    long[] creatives = new long[top.size()];
                    long[] retrievals = new long[top.size()];
                    for (int i = 0; i < top.size(); i++) {
                        creatives[i] = candidates.get(top.items()[i]).creativeId();
                        retrievals[i] = retrievalIds[top.items()[i]];
                    }
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("user_id", userIds[q]);
                    line.put("method", e.getKey());
                    line.put("creative_ids", creatives);
                    line.put("retrieval_ids", retrievals);
                    line.put("scores", top.scores());
                    o.write(JSON.writeValueAsBytes(line));
                    o.write('\n');
                }
            }
        });
    }

    /** Mean share of the exact top-k that the approximate top-k found. */
    static double recall(TopK[] approximate, TopK[] exact) {
        double sum = 0;
        int n = 0;
        for (int q = 0; q < exact.length; q++) {
            if (exact[q].size() == 0) {
                continue;
            }
            int[] found = approximate[q].items().clone();
            Arrays.sort(found);
            int hits = 0;
            for (int row : exact[q].items()) {
                hits += Arrays.binarySearch(found, row) >= 0 ? 1 : 0;
            }
            sum += (double) hits / exact[q].size();
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** HR@k and NDCG@k per method against one held-out creative per user; users without a query count as misses. */
    private Map<String, Object> score(Map<String, TopK[]> results, long[] userIds, List<PredictCandidate> candidates)
            throws IOException {
        Map<Long, Long> truthOf = SeedDataDirectory.readHeldOut(truth);
        Map<Long, Integer> queryOf = new HashMap<>();
        for (int q = 0; q < userIds.length; q++) {
            queryOf.put(userIds[q], q);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, TopK[]> e : results.entrySet()) {
            RankingMetrics ranking = new RankingMetrics(k);
            for (Map.Entry<Long, Long> t : truthOf.entrySet()) {
                Integer q = queryOf.get(t.getKey());
                ranking.addList(q == null ? null : creativeIds(e.getValue()[q], candidates), t.getValue());
            }
            int users = truthOf.size();
            double hitRate = ranking.hitRate(k);
            double ndcg = ranking.ndcg(k);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("users", users);
            m.put("hr@" + k, hitRate);
            m.put("ndcg@" + k, ndcg);
            metrics.put(e.getKey(), m);
            log.printf(
                    Locale.ROOT,
                    "predict: %s HR@%d %.4f  NDCG@%d %.4f  (%d held-out users)%n",
                    e.getKey(),
                    k,
                    hitRate,
                    k,
                    ndcg,
                    users);
        }
        return metrics;
    }

    private static long[] creativeIds(TopK top, List<PredictCandidate> candidates) {
        long[] ids = new long[top.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = candidates.get(top.items()[i]).creativeId();
        }
        return ids;
    }

    /** Case-insensitive method names. */
    static final class RetrievalConverter implements CommandLine.ITypeConverter<Retrieval> {
        @Override
        public Retrieval convert(String value) {
            return Retrieval.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** @param args command-line arguments */
    public static void main(String[] args) {
        System.exit(new CommandLine(new PredictCommand()).execute(args));
    }
}
