package dev.hstu.model.cli;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.io.InteractionFormat;
import dev.hstu.model.io.InteractionLog;
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
 * The interaction log a command reads, exactly one: {@code --data FILE} in any {@link InteractionFormat} (told by
 * {@code --format} or the file's name), or the older {@code --ratings} (MovieLens) and {@code --seq} (seq.jsonl); and
 * the side files that the model's item features read (MovieLens's movies CSV for the genres).
 */
public final class InputOptions {

    /** The side file that {@code --movies} names: the one {@code GenreEmbedding} declares. */
    private static final String MOVIES = "movies";

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description = "the interaction file, in --format (default: told by its name: .jsonl seq-jsonl, .csv"
                    + " movielens, .txt sequence-text, .inter recbole-inter). sequence-text and a recbole-inter"
                    + " without timestamp have no times: each user's events get the times 0, 1, 2, ... in file"
                    + " order, and model.features.time=true is refused (docs/cli.md)")
    Path data;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "format of --data: seq-jsonl, movielens, sequence-text (user item item ... lines, or"
                    + " user item pairs) or recbole-inter (RecBole atomic .inter)")
    String format;

    @Option(names = "--ratings", description = "= --data FILE --format movielens (userId,movieId,rating,timestamp)")
    Path ratings;

    @Option(names = "--seq", description = "= --data FILE --format seq-jsonl (one user per line)")
    Path seq;

    @Option(
            names = "--item-file",
            paramLabel = "NAME=PATH",
            description = "a side file an item feature reads (e.g. movies=movies.csv for model.features.genres);"
                    + " default: the feature's file next to the input")
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
     * @throws IllegalArgumentException unless exactly one of --data, --ratings and --seq is given, or for a format
     *     that is unknown, not told by the file's name, or at odds with --ratings/--seq
     */
    public UserSequences load(ItemVocabulary vocabulary, boolean assignNew) throws IOException {
        return build(read(), vocabulary, assignNew);
    }

    /**
     * @return the input file as read, before its items have rows
     * @throws IOException on a read error or malformed input
     * @throws IllegalArgumentException as {@link #load(ItemVocabulary, boolean)}
     */
    public InteractionLog read() throws IOException {
        return InteractionFiles.read(file(), format(), ratingActions);
    }

    private static UserSequences build(InteractionLog log, ItemVocabulary vocabulary, boolean assignNew) {
        return assignNew
                ? log.events().build(vocabulary, vocabulary::indexOrAssign)
                : log.events().build(vocabulary, vocabulary::indexOf);
    }

    /**
     * @return the input's format: --format, else that of --ratings/--seq, else told by the file's name
     * @throws IllegalArgumentException as {@link #load(ItemVocabulary, boolean)}
     */
    public InteractionFormat format() {
        Path file = file();
        InteractionFormat implied =
                ratings != null ? InteractionFormat.MOVIELENS : seq != null ? InteractionFormat.SEQ_JSONL : null;
        if (format == null) {
            return implied != null ? implied : InteractionFormat.of(file);
        }
        InteractionFormat given = InteractionFormat.named(format);
        if (implied != null && given != implied) {
            throw new IllegalArgumentException("--format " + given.label() + " contradicts "
                    + (ratings != null ? "--ratings" : "--seq") + " (which reads " + implied.label()
                    + "): use --data " + file + " --format " + given.label());
        }
        return given;
    }

    /**
     * @param vocabulary item mapping
     * @param assignNew see {@link #load(ItemVocabulary, boolean)}
     * @param config the model the sequences are for
     * @return the per-user sequences with the item side columns the model's input features declare, each read from
     *     its side file ({@code --item-file NAME=PATH}, else the feature's default file next to the input)
     * @throws IOException on a read error or malformed input, or an item of the vocabulary a side file lacks
     * @throws IllegalArgumentException as {@link #load(ItemVocabulary, boolean)}, or for time features on data
     *     without times ({@link InteractionLog#checkTimes})
     */
    public UserSequences load(ItemVocabulary vocabulary, boolean assignNew, HstuConfig config) throws IOException {
        InteractionLog log = read();
        log.checkTimes(config);
        UserSequences users = build(log, vocabulary, assignNew);
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

    /**
     * @return the input file
     * @throws IllegalArgumentException unless exactly one of --data, --ratings and --seq is given
     */
    public Path file() {
        int given = (data != null ? 1 : 0) + (ratings != null ? 1 : 0) + (seq != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of --data, --ratings and --seq");
        }
        return data != null ? data : ratings != null ? ratings : seq;
    }
}
