package dev.hstu.model.tasks.match;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.MatchConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.io.ItemSideColumn;
import dev.hstu.model.modules.features.GenreEmbedding;
import dev.hstu.model.tasks.ItemVectors;
import dev.hstu.model.tasks.Task;
import dev.hstu.model.train.Autograd;
import java.util.ArrayList;
import java.util.List;

/**
 * Two-tower Match (tzrec's HSTU Match): the encoder with its L2-norm postprocessor is the user tower, the {@link
 * ItemTower} embeds each item from its id row and side features, and a query scores an item by their similarity.
 * Trained by sampled softmax over the positive and {@code model.task}'s negatives, every one embedded by the tower
 * with its own features; an item without an id row (never interacted with) is scored from its features alone.
 *
 * <p>The side values of the item rows are data attached with {@link #attach}, like the multimodal tables: a tower
 * that reads side columns refuses to score before they are.
 */
public final class MatchTask implements Task, ItemVectors {

    /** Items embedded per pass by {@link #embedAll}. */
    private static final int EMBED_CHUNK = 4096;

    private final HstuConfig config;
    private final ItemTower tower;
    private ItemSideTable sideTable;

    /** @param config the model's config, with a {@code match} section */
    public MatchTask(HstuConfig config) {
        this.config = config;
        this.tower = new ItemTower(config.match(), config.encoder().embeddingDim());
        this.sideTable = sideColumns(config).isEmpty() ? ItemSideTable.none() : null;
    }

    /**
     * @param config a config with a {@code match} section
     * @return the side columns the item tower reads, in the order of {@link ItemTowerInputs#side()}
     */
    public static List<ItemSideColumn> sideColumns(HstuConfig config) {
        MatchConfig match = config.match();
        List<ItemSideColumn> columns = new ArrayList<>();
        if (match.genres() != null) {
            columns.add(GenreEmbedding.sideColumn(match.genres().count(), "match.genres"));
        }
        return columns;
    }

    /**
     * Refuses a Match model whose item tower reads side columns where nothing supplies their values (the streaming
     * jobs), instead of failing at its first step or query.
     *
     * @param config a model's config
     * @param where what would run it, for the message
     * @throws IllegalArgumentException if it is a Match model with side columns
     */
    public static void requireNoSideColumns(HstuConfig config, String where) {
        if (config.match() != null && !sideColumns(config).isEmpty()) {
            throw new IllegalArgumentException("the Match item tower reads side columns "
                    + names(sideColumns(config)) + ", which " + where
                    + " does not supply; use a Match model without item side features (model.match.genres) there");
        }
    }

    /**
     * Gives the tower the side values of every item row, replacing any attached before.
     *
     * @param table one column per {@link #sideColumns}, rows up to the model's item capacity
     * @throws IllegalArgumentException if the table has another number of columns
     */
    public void attach(ItemSideTable table) {
        int expected = sideColumns(config).size();
        if (table.columns() != expected) {
            throw new IllegalArgumentException(
                    "the item tower reads " + expected + " side column(s), the table has " + table.columns());
        }
        this.sideTable = table;
    }

    /** @return the side values of the item rows */
    ItemSideTable sideTable() {
        if (sideTable == null) {
            throw new IllegalStateException("the item tower reads side columns " + names(sideColumns(config))
                    + ": attach their values (MatchTask.attach, from the side files) before scoring or training");
        }
        return sideTable;
    }

    @Override
    public Block block() {
        return tower;
    }

    /** @return the item tower */
    public ItemTower tower() {
        return tower;
    }

    @Override
    public NDArray scores(HstuModel model, NDArray encoded, PackedBatch seqs, int itemRows) {
        NDArray queries = queries(model, model.lastOutputs(encoded, seqs));
        return queries.matMul(itemVectors(model, itemRows, queries).transpose());
    }

    @Override
    public NDArray queries(HstuModel model, NDArray lastOutputs) {
        return tower.project(model.parameterStore(), lastOutputs);
    }

    @Override
    public NDArray itemVectors(HstuModel model, int itemRows, NDArray like) {
        return embed(model, sideTable().range(ItemVocabulary.FIRST_ITEM, itemRows));
    }

    /**
     * The tower's output for any items, with or without id rows (call inside an {@code NDScope}).
     *
     * @param model the model this task belongs to
     * @param items the items' id rows and side values; a row not in use ({@code >= model.itemRowsInUse()}) counts
     *     as none
     * @return {@code [items.size(), outputWidth]}
     */
    public NDArray embed(HstuModel model, ItemTowerInputs items) {
        return tower.embed(
                model.parameterStore(), model.encoder().itemEmbedding(), inUse(model, items), model.manager());
    }

    /**
     * A row at or beyond the model's rows in use was never trained (an item assigned a row after training, such as
     * one scored for a cold-start evaluation): its table row is initial noise, so it counts as no id row.
     */
    private static ItemTowerInputs inUse(HstuModel model, ItemTowerInputs items) {
        long[] rows = items.idRows();
        long[] kept = null;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] >= model.itemRowsInUse()) {
                if (kept == null) {
                    kept = rows.clone();
                }
                kept[i] = ItemVocabulary.PADDING;
            }
        }
        return kept == null ? items : new ItemTowerInputs(kept, items.side());
    }

    /**
     * The tower's output for a catalogue, in chunks so that a large one needs no large intermediate arrays.
     *
     * @param model the model this task belongs to
     * @param catalogue the items
     * @return {@code catalogue.size() * outputWidth} floats, row-major, in catalogue order
     */
    public float[] embedAll(HstuModel model, ItemCatalogue catalogue) {
        int width = tower.outputWidth();
        float[] out = new float[catalogue.size() * width];
        Autograd.disableOnThisThread();
        for (int from = 0; from < catalogue.size(); from += EMBED_CHUNK) {
            int to = Math.min(catalogue.size(), from + EMBED_CHUNK);
            try (NDScope ignored = new NDScope()) {
                float[] part = embed(model, catalogue.slice(from, to).inputs())
                        .toType(DataType.FLOAT32, false)
                        .toFloatArray();
                System.arraycopy(part, 0, out, from * width, part.length);
            }
        }
        return out;
    }

    @Override
    public Training newTraining() {
        return new MatchTraining(
                this, config.task(), config.match().idDropout(), config.items().capacity());
    }

    private static List<String> names(List<ItemSideColumn> columns) {
        return columns.stream().map(c -> c.file() + ":" + c.column().name()).toList();
    }
}
