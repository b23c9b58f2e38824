package dev.hstu.jobs.cli;

import dev.hstu.jobs.replay.MovieLensSeqJsonl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "convert-movielens", mixinStandardHelpOptions = true,
        description = "Writes a MovieLens ratings CSV as the seed's seq.jsonl (one user per line), for 'hstu replay'.")
public final class ConvertMovieLensCommand implements Callable<Integer> {

    @Option(names = "--ratings", defaultValue = "data/ml-latest-small/ratings.csv", paramLabel = "CSV",
            description = "Ratings file. Default: ${DEFAULT-VALUE}")
    Path ratings;

    @Option(names = {"-o", "--out"}, defaultValue = "target/hstu/ml-seq/seq.jsonl", paramLabel = "FILE",
            description = "The seq.jsonl to write. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--click-rating", defaultValue = "4.0",
            description = "Ratings at or above this are clicks (action 1), the others exposures (0). "
                    + "Default: ${DEFAULT-VALUE}")
    double clickRating;

    @Override
    public Integer call() throws Exception {
        long events = MovieLensSeqJsonl.convert(ratings, out, clickRating);
        System.out.printf("%,d interactions written to %s%n", events, out);
        return 0;
    }
}
