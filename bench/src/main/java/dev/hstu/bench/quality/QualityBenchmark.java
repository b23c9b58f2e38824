package dev.hstu.bench.quality;

import dev.hstu.bench.BenchReport;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.HstuModel;
import dev.hstu.model.cli.ModelOptions;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.FullRankingEvaluator;
import dev.hstu.model.eval.LeaveOneOutSplit;
import dev.hstu.model.eval.MetricsReport;
import dev.hstu.model.eval.MostPopular;
import dev.hstu.model.io.InteractionFiles;
import dev.hstu.model.io.InteractionFormat;
import dev.hstu.model.io.InteractionLog;
import dev.hstu.model.train.EpochTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains HSTU and the Transformer (SASRec-style) baseline with the same inputs, loss, negatives and training loop on
 * any interaction file, evaluates both and most-popular by leave-one-out full ranking, and writes {@code
 * quality-NAME.md} ({@link QualityReport}): every seed's test metrics and their mean ± std, and the validation curve
 * of every run as a table and a PNG. The model settings are those of {@code hstu train} ({@code --config}, {@code
 * --set model.KEY=VALUE} and the recipe's flags), so a preset runs as it is.
 */
@Command(
        name = "quality",
        mixinStandardHelpOptions = true,
        description = "HSTU vs Transformer vs most-popular on an interaction file (leave-one-out, full ranking).")
public final class QualityBenchmark implements Callable<Integer> {

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "the interaction file (as hstu train --data: seq-jsonl, movielens, sequence-text,"
                    + " recbole-inter)")
    private Path data;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "format of --data (default: told by its name, as hstu train)")
    private String format;

    @Option(
            names = "--name",
            description = "the dataset's name: results in quality-NAME.md (default: the name of --data's directory)")
    private String name;

    @Option(
            names = "--results",
            description = "Markdown file to write (default: bench/results/quality-NAME.md); its JSON twin and the"
                    + " validation chart go beside it")
    private Path results;

    @Option(names = "--epochs", defaultValue = "60", description = "maximum epochs per model")
    private int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "users per step")
    private int batchSize;

    @Option(
            names = "--patience",
            defaultValue = "0",
            description = "early stop after N epochs without validation gain; 0 = never")
    private int patience;

    @Option(names = "--encoders", split = ",", defaultValue = "HSTU,TRANSFORMER", description = "encoders to train")
    private List<EncoderType> encoders;

    @Option(
            names = "--window-stride",
            defaultValue = "0",
            description =
                    "0: train each user's most recent max-seq-len events; N > 0: the whole history in windows N events apart")
    private int windowStride;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            description =
                    "train each encoder with this many seeds (seed, seed+1, ...) and report mean ± std (default ${DEFAULT-VALUE})")
    private int seeds;

    @Mixin
    private ModelOptions model = new ModelOptions();

    private String command = "";

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seeds must be >= 1, got " + seeds);
        }
        String dataset = name != null ? name : defaultName(data);
        if (!dataset.matches("[A-Za-z0-9._-]+")) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--name must be letters, digits, '.', '_' or '-' (it names the results file), got '" + dataset
                            + "'");
        }
        Path out = results != null ? results : Path.of("bench", "results", "quality-" + dataset + ".md");
        String header = QualityReport.header(dataset, command);
        long wallStart = System.nanoTime();
        InteractionFormat fileFormat = format != null ? InteractionFormat.named(format) : InteractionFormat.of(data);
        InteractionLog log = InteractionFiles.read(data, fileFormat, MovieLensActions.wholeStars()::action);
        HstuConfig requested = model.resolve();
        log.checkTimes(requested);
        ItemVocabulary vocabulary = new ItemVocabulary(Integer.MAX_VALUE - 8);
        UserSequences users = log.events().build(vocabulary, vocabulary::indexOrAssign);
        LeaveOneOutSplit split = new LeaveOneOutSplit(users);
        QualityTraining training = new QualityTraining(epochs, batchSize, patience, windowStride);
        HstuConfig base = training.sized(requested, vocabulary, split);
        int stepsPerEpoch = training.stepsPerEpoch(split, base);
        String described = String.format(
                Locale.ROOT,
                "`%s` (%s%s): %d users, %d items, %d interactions.",
                data,
                fileFormat.label(),
                log.timed() ? "" : ", no timestamps: each user's events at the ordinal times 0, 1, 2, ...",
                users.size(),
                vocabulary.size() - ItemVocabulary.FIRST_ITEM,
                users.totalEvents());
        System.out.println("data " + described + " steps/epoch=" + stepsPerEpoch);

        MetricsReport popular;
        try (HstuModel anchor = HstuModel.create(base.with("stu.numLayers", 1).validate())) {
            FullRankingEvaluator evaluator =
                    new FullRankingEvaluator(base.encoder().maxSeqLen(), true, 128);
            popular = evaluator.evaluate(
                    split.test(),
                    MostPopular.fit(split, vocabulary.size(), anchor.manager()),
                    vocabulary.size(),
                    anchor.manager());
        }
        System.out.println("most-popular test " + popular.summary());
        List<QualitySeedStats> methods = new ArrayList<>();
        for (EncoderType encoder : encoders) {
            QualitySeedStats stats = new QualitySeedStats(encoder.name());
            for (int s = 0; s < seeds; s++) {
                HstuConfig config = base.with("encoder.type", encoder)
                        .with("runtime.seed", base.runtime().seed() + s)
                        .validate();
                EpochTrainer.Outcome outcome = training.train(config, split);
                stats.add(config.runtime().seed(), outcome);
                System.out.printf(
                        "%s seed %d best epoch %d test %s%n",
                        encoder,
                        config.runtime().seed(),
                        outcome.best().epoch(),
                        outcome.best().test().summary());
            }
            methods.add(stats);
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        new QualityReport(dataset, header, described, training, stepsPerEpoch, base, methods, popular, wall).write(out);
        return 0;
    }

    /** @return the name of the file's directory ({@code ml-latest-small} of its ratings.csv), else its stem */
    static String defaultName(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent != null && parent.getFileName() != null) {
            return parent.getFileName().toString();
        }
        return absolute.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    }

    /** @param args options, see {@code --help} */
    public static void main(String[] args) {
        QualityBenchmark benchmark = new QualityBenchmark();
        benchmark.command = BenchReport.command(QualityBenchmark.class, args);
        System.exit(new CommandLine(benchmark).execute(args));
    }
}
