package dev.hstu.model.cli;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.movielens.MovieLensMovies;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.modules.features.GenreEmbedding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The interaction log a command reads: a MovieLens ratings CSV or a seed seq.jsonl, exactly one; with MovieLens, the
 * movies CSV for a model that reads item genres.
 */
public final class InputOptions {

    @Option(names = "--ratings", description = "MovieLens ratings.csv (userId,movieId,rating,timestamp)")
    Path ratings;

    @Option(names = "--seq", description = "seed seq.jsonl (one user per line)")
    Path seq;

    @Option(
            names = "--movies",
            description = "MovieLens movies.csv (movieId,title,genres) for model.features.genres"
                    + " (default: movies.csv next to --ratings)")
    Path movies;

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
        UserSequences.Collector events = ratings != null
                ? InteractionFiles.movieLens(ratings, MovieLensActions.wholeStars())
                : InteractionFiles.seqJsonl(seq);
        return assignNew
                ? events.build(vocabulary, vocabulary::indexOrAssign)
                : events.build(vocabulary, vocabulary::indexOf);
    }

    /**
     * @param vocabulary item mapping
     * @param assignNew see {@link #load(ItemVocabulary, boolean)}
     * @param config the model the sequences are for
     * @return the per-user sequences with the item columns the model reads
     * @throws IOException on a read error or malformed input, or a rated movie the movies file lacks
     * @throws IllegalArgumentException as {@link #load(ItemVocabulary, boolean)}, or when the model reads genres
     *     and the input is not MovieLens
     */
    public UserSequences load(ItemVocabulary vocabulary, boolean assignNew, HstuConfig config) throws IOException {
        UserSequences users = load(vocabulary, assignNew);
        if (config.features().genres() == null) {
            return users;
        }
        if (ratings == null) {
            throw new IllegalArgumentException("model.features.genres reads MovieLens genres: give --ratings");
        }
        if (config.features().genres().count() < MovieLensMovies.GENRES.size()) {
            throw new IllegalArgumentException("model.features.genres.count must be >= "
                    + MovieLensMovies.GENRES.size() + " for MovieLens's genres, got "
                    + config.features().genres().count());
        }
        Path file = movies != null ? movies : ratings.resolveSibling("movies.csv");
        Map<Long, Integer> genres = InteractionFiles.movieGenres(file);
        for (int row = ItemVocabulary.FIRST_ITEM; row < vocabulary.size(); row++) {
            if (!genres.containsKey(vocabulary.idOf(row))) {
                throw new IOException(file + " lists no movieId " + vocabulary.idOf(row) + " of " + ratings);
            }
        }
        return users.withItemColumn(
                GenreEmbedding.GENRE_COLUMN,
                row -> row < ItemVocabulary.FIRST_ITEM ? 0 : genres.get(vocabulary.idOf(row)));
    }

    /** @return the input file, for messages */
    public Path file() {
        return ratings != null ? ratings : seq;
    }
}
