package dev.hstu.model.cli;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.io.ItemSideColumn;
import dev.hstu.model.modules.features.InputFeature;
import dev.hstu.model.modules.features.InputFeatures;
import dev.hstu.model.tasks.match.ItemCatalogue;
import dev.hstu.model.tasks.match.ItemSideTable;
import dev.hstu.model.tasks.match.MatchTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleToIntFunction;
import picocli.CommandLine.Option;

/**
 * The interaction log a command reads: a MovieLens ratings CSV or a seed seq.jsonl, exactly one; and the side files
 * that the model's item features read (MovieLens's movies CSV for the genres).
 */
public final class InputOptions {

    /** The side file that {@code --movies} names: the one {@code GenreEmbedding} declares. */
    private static final String MOVIES = "movies";

    @Option(names = "--ratings", description = "MovieLens ratings.csv (userId,movieId,rating,timestamp)")
    Path ratings;

    @Option(names = "--seq", description = "seed seq.jsonl (one user per line)")
    Path seq;

    @Option(
            names = "--item-file",
            paramLabel = "NAME=PATH",
            description = "a side file an item feature reads (e.g. movies=movies.csv for model.features.genres);"
                    + " default: the feature's file next to --ratings/--seq")
    Map<String, Path> itemFiles = new LinkedHashMap<>();

    @Option(names = "--movies", description = "the same as --item-file movies=PATH")
    Path movies;

    /** What a MovieLens rating means as an action: whole stars, unless a ranking run reads them as bits. */
    private DoubleToIntFunction ratingActions = MovieLensActions.wholeStars()::action;

    /** @param actions what a MovieLens rating means as an action, from now on */
    void ratingActions(DoubleToIntFunction actions) {
        this.ratingActions = actions;
    }

    /**
     * @param vocabulary item mapping
     * @param assignNew give unseen items new rows (training) or map them to out-of-vocabulary
     *     (a trained model)
     * @return the per-user sequences
     * @throws IOException on a read error or malformed input
     * @throws IllegalArgumentException unless exactly one of --ratings and --seq is given
     */
    public UserSequences load(ItemVocabulary vocabulary, boolean assignNew) throws IOException {
        if ((ratings == null) == (seq == null)) {
            throw new IllegalArgumentException("give exactly one of --ratings and --seq");
        }
        UserSequences.Collector events =
                ratings != null ? InteractionFiles.movieLens(ratings, ratingActions) : InteractionFiles.seqJsonl(seq);
        return assignNew
                ? events.build(vocabulary, vocabulary::indexOrAssign)
                : events.build(vocabulary, vocabulary::indexOf);
    }

    /**
     * @param vocabulary item mapping
     * @param assignNew see {@link #load(ItemVocabulary, boolean)}
     * @param config the model the sequences are for
     * @return the per-user sequences with the item side columns the model's input features declare, each read from
     *     its side file ({@code --item-file NAME=PATH}, else the feature's default file next to the input)
     * @throws IOException on a read error or malformed input, or an item of the vocabulary a side file lacks
     * @throws IllegalArgumentException as {@link #load(ItemVocabulary, boolean)}
     */
    public UserSequences load(ItemVocabulary vocabulary, boolean assignNew, HstuConfig config) throws IOException {
        UserSequences users = load(vocabulary, assignNew);
        for (InputFeature.Kind kind : InputFeatures.enabled(config)) {
            for (ItemSideColumn side : kind.sideColumns(config)) {
                Path path = sideFile(side);
                Map<Long, Integer> values = side.reader().read(path);
                for (int row = ItemVocabulary.FIRST_ITEM; row < vocabulary.size(); row++) {
                    if (!values.containsKey(vocabulary.idOf(row))) {
                        throw new IOException(path + " lists no item " + vocabulary.idOf(row) + " of " + file()
                                + " (column " + side.column().name() + ")");
                    }
                }
                users = users.withItemColumn(
                        side.column(), row -> row < ItemVocabulary.FIRST_ITEM ? 0 : values.get(vocabulary.idOf(row)));
            }
        }
        return users;
    }

    /**
     * Gives a Match model's item tower the side values of every item row, read from the side files its columns
     * name ({@code --item-file NAME=PATH}, else next to the input); does nothing for another task.
     *
     * @param model the model
     * @param vocabulary its item rows
     * @throws IOException on a read error or malformed side file, or an item of the vocabulary a side file lacks
     */
    public void attachItemTower(HstuModel model, ItemVocabulary vocabulary) throws IOException {
        if (model.task() instanceof MatchTask match) {
            List<ItemSideColumn> columns = MatchTask.sideColumns(model.config());
            match.attach(ItemSideTable.of(
                    columns,
                    readSide(columns),
                    files(columns),
                    vocabulary,
                    model.config().items().capacity()));
        }
    }

    /**
     * @param model a Match model
     * @param vocabulary its item rows
     * @return its items and every other item its side files list (cold items), with the tower's inputs
     * @throws IOException on a read error or malformed side file
     */
    public ItemCatalogue itemCatalogue(HstuModel model, ItemVocabulary vocabulary) throws IOException {
        List<ItemSideColumn> columns = MatchTask.sideColumns(model.config());
        return ItemCatalogue.whole(vocabulary, readSide(columns), files(columns));
    }

    private List<Map<Long, Integer>> readSide(List<ItemSideColumn> columns) throws IOException {
        List<Map<Long, Integer>> values = new ArrayList<>();
        for (ItemSideColumn side : columns) {
            values.add(side.reader().read(sideFile(side)));
        }
        return values;
    }

    private List<Path> files(List<ItemSideColumn> columns) {
        return columns.stream().map(this::sideFile).toList();
    }

    /**
     * @param side a side column
     * @return the file it is read from: {@code --item-file NAME=PATH}, {@code --movies}, else its default name next
     *     to the input
     */
    public Path sideFile(ItemSideColumn side) {
        Path given = itemFiles.get(side.file());
        if (given == null && side.file().equals(MOVIES) && movies != null) {
            given = movies;
        }
        return given != null ? given : file().resolveSibling(side.defaultName());
    }

    /** @return the input file, for messages */
    public Path file() {
        return ratings != null ? ratings : seq;
    }
}
