package dev.hstu.model.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.model.HstuModel;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.serve.TopK;
import dev.hstu.model.tasks.match.ItemCatalogue;
import dev.hstu.model.tasks.match.MatchTask;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hstu export}: writes item embeddings ({@code item.fbin} + {@code item_id.u64bin}; for Match the item
 * tower's, of every item of the side files too), the
 * query embedding of every user's full history ({@code query.fbin} + {@code user_id.u64bin}) and
 * each user's top-K items ({@code topk.jsonl}, external ids).
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Export item and user query embeddings (.fbin/.u64bin) and top-K per user (topk.jsonl).")
public final class ExportCommand implements Callable<Integer> {

    /** Item embeddings, rows in vocabulary order. */
    public static final String ITEM_FBIN = "item.fbin";
    /** External item id of each row of {@link #ITEM_FBIN}. */
    public static final String ITEM_IDS = "item_id.u64bin";
    /** User query embeddings. */
    public static final String QUERY_FBIN = "query.fbin";
    /** External user id of each row of {@link #QUERY_FBIN}. */
    public static final String USER_IDS = "user_id.u64bin";
    /** One JSON object per user: user_id, items, scores. */
    public static final String TOPK = "topk.jsonl";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    @Mixin
    private SavedModelOptions savedModel = new SavedModelOptions();

    @Mixin
    private InputOptions input = new InputOptions();

    @Mixin
    private MultimodalOptions multimodal = new MultimodalOptions();

    @Option(
            names = "--model",
            required = true,
            description = "model version directory, or a directory of versions (newest is used)")
    private Path modelPath;

    @Option(names = "--out", required = true, description = "output directory")
    private Path out;

    @Option(
            names = "--k",
            defaultValue = "100",
            description = "items per user in topk.jsonl (default ${DEFAULT-VALUE})")
    private int k;

    @Option(
            names = "--include-seen",
            description = "allow items already in the history in the top-K (default: excluded)")
    private boolean includeSeen;

    @Option(names = "--batch-size", defaultValue = "256", description = "users encoded at once")
    private int batchSize;

    @Override
    public Integer call() throws Exception {
        Path dir = ModelStore.resolve(modelPath);
        ItemVocabulary vocabulary = ItemVocabulary.load(ModelFiles.vocabulary(dir));
        UserSequences users = input.load(vocabulary, false);
        Files.createDirectories(out);
        try (HstuModel model = savedModel.load(dir)) {
            multimodal.attach(model, vocabulary, System.out);
            input.attachItemTower(model, vocabulary);
            int d = model.queryWidth();
            int maxLen = model.config().encoder().maxSeqLen();
            int exportedItems = writeItems(model, vocabulary);
            float[] queries = new float[users.size() * d];
            PackedBatch.Builder builder = PackedBatch.builder();
            AtomicFiles.write(out.resolve(TOPK), topkOut -> {
                for (int from = 0; from < users.size(); from += batchSize) {
                    int to = Math.min(users.size(), from + batchSize);
                    builder.reset();
                    for (int u = from; u < to; u++) {
                        int n = users.items().get(u).length;
                        int kept = Math.min(n, maxLen);
                        builder.addSequence(
                                users.items().get(u),
                                users.actions().get(u),
                                users.timestamps().get(u),
                                n - kept,
                                kept,
                                kept - 1);
                    }
                    PackedBatch batch = builder.build();
                    System.arraycopy(model.encodeQueries(batch), 0, queries, from * d, (to - from) * d);
                    TopK[] top = model.recommend(batch, k, !includeSeen);
                    for (int u = from; u < to; u++) {
                        writeTopK(topkOut, users.userIds()[u], top[u - from], vocabulary);
                    }
                }
            });
            EmbeddingFiles.writeFbin(out.resolve(QUERY_FBIN), queries, d);
            EmbeddingFiles.writeU64(out.resolve(USER_IDS), users.userIds());
            System.out.printf(
                    "exported %d items and %d users (d=%d, top-%d) from %s to %s%n",
                    exportedItems, users.size(), d, k, dir, out);
        }
        return 0;
    }

    /**
     * Writes the vectors the model scores items by: the item table's rows, or a Match model's item-tower outputs of
     * the whole catalogue (its items, then those only the side files list, embedded from their features).
     *
     * @return items written
     */
    private int writeItems(HstuModel model, ItemVocabulary vocabulary) throws IOException {
        if (!(model.task() instanceof MatchTask match)) {
            EmbeddingFiles.writeFbin(out.resolve(ITEM_FBIN), model.itemEmbeddings(), model.queryWidth());
            vocabulary.save(out.resolve(ITEM_IDS));
            return model.itemRowsInUse() - ItemVocabulary.FIRST_ITEM;
        }
        ItemCatalogue catalogue = input.itemCatalogue(model, vocabulary);
        EmbeddingFiles.writeFbin(
                out.resolve(ITEM_FBIN),
                match.embedAll(model, catalogue),
                match.tower().outputWidth());
        ItemVocabulary ids = new ItemVocabulary(catalogue.size() + ItemVocabulary.FIRST_ITEM);
        for (long id : catalogue.ids()) {
            ids.indexOrAssign(id);
        }
        ids.save(out.resolve(ITEM_IDS));
        System.out.printf(
                "item tower: %d items, %d of them without an id row (embedded from their features)%n",
                catalogue.size(), catalogue.withoutIdRow());
        return catalogue.size();
    }

    private static void writeTopK(OutputStream out, long userId, TopK top, ItemVocabulary vocabulary)
            throws java.io.IOException {
        long[] ids = new long[top.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.idOf(top.items()[i]);
        }
        java.util.Map<String, Object> line = new java.util.LinkedHashMap<>();
        line.put("user_id", userId);
        line.put("items", ids);
        line.put("scores", top.scores());
        JSON.writeValue(out, line);
        out.write('\n');
    }

    /** @param args command-line arguments */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ExportCommand()).execute(args));
    }
}
