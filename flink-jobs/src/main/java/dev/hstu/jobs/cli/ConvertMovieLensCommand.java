package dev.hstu.jobs.cli;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.jobs.replay.MovieLensSeqJsonl;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "convert-movielens",
        mixinStandardHelpOptions = true,
        description = "Writes a MovieLens ratings CSV as a seed data directory for 'hstu replay' and 'hstu predict': "
                + "indexer.json, seq.jsonl and predict_seq.jsonl (each user's history without their last rating, "
                + "re-indexed ids), predict_set.jsonl (every rated movie as a candidate) and heldout.jsonl (each "
                + "user's last rating, for 'hstu predict --truth').")
public final class ConvertMovieLensCommand implements Callable<Integer> {

    @Option(
            names = "--ratings",
            defaultValue = "data/ml-latest-small/ratings.csv",
            paramLabel = "CSV",
            description = "Ratings file. Default: ${DEFAULT-VALUE}")
    Path ratings;

    @Option(
            names = {"-o", "--out"},
            defaultValue = "target/hstu/ml-seq",
            paramLabel = "DIR",
            description = "The directory to write. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(
            names = "--click-rating",
            defaultValue = "4.0",
            description = "Ratings at or above this are clicks (action 1), the others exposures (0). "
                    + "Default: ${DEFAULT-VALUE}")
    double clickRating;

    @Override
    public Integer call() throws Exception {
        MovieLensSeqJsonl.SeedDirectory written =
                MovieLensSeqJsonl.writeSeedDirectory(ratings, out, MovieLensActions.clickAtOrAbove(clickRating));
        System.out.printf(
                "%,d users, %,d items, %,d interactions in seq.jsonl and predict_seq.jsonl, %,d held out; "
                        + "written to %s%n",
                written.users(), written.items(), written.events(), written.heldOut(), out);
        return 0;
    }
}
