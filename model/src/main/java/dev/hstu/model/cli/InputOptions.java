package dev.hstu.model.cli;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.io.InteractionFiles;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The interaction log a command reads: a MovieLens ratings CSV or a seed seq.jsonl, exactly one. */
public final class InputOptions {

    @Option(names = "--ratings", description = "MovieLens ratings.csv (userId,movieId,rating,timestamp)")
    Path ratings;

    @Option(names = "--seq", description = "seed seq.jsonl (one user per line)")
    Path seq;

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

    /** @return the input file, for messages */
    public Path file() {
        return ratings != null ? ratings : seq;
    }
}
