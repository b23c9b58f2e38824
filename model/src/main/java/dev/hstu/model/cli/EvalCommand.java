package dev.hstu.model.cli;

import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.model.HstuModel;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.EvalCases;
import dev.hstu.model.eval.FullRankingEvaluator;
import dev.hstu.model.eval.LeaveOneOutSplit;
import dev.hstu.model.eval.MetricsReport;
import dev.hstu.model.eval.MostPopular;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hstu eval}: leave-one-out full-ranking evaluation of a trained model and of the
 * most-popular baseline on an interaction log.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description =
                "Evaluate a model (leave-one-out by time, full ranking): HR@10, NDCG@10, HR@50, NDCG@50, MRR; a ranking"
                        + " model: per-task AUC, GAUC, NE and log loss on each user's held-out window.")
public final class EvalCommand implements Callable<Integer> {

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

    @Option(names = "--split", defaultValue = "test", description = "test or validation (default ${DEFAULT-VALUE})")
    private String split;

    @Option(names = "--include-seen", description = "rank items already in the history too (default: excluded)")
    private boolean includeSeen;

    @Mixin
    private RankingOptions ranking = new RankingOptions();

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("validation")) {
            throw new IllegalArgumentException("--split must be test or validation, got " + split);
        }
        Path dir = ModelStore.resolve(modelPath);
        ItemVocabulary vocabulary = ItemVocabulary.load(ModelFiles.vocabulary(dir));
        try (HstuModel model = savedModel.load(dir)) {
            if (model.config().ranking() != null) {
                multimodal.attach(model, vocabulary, System.out);
                return RankingRun.eval(model, dir, vocabulary, input, ranking, split, System.out);
            }
            UserSequences users = input.load(vocabulary, false, model.config());
            LeaveOneOutSplit loo = new LeaveOneOutSplit(users);
            EvalCases cases = split.equals("test") ? loo.test() : loo.validation();
            multimodal.attach(model, vocabulary, System.out);
            input.attachItemTower(model, vocabulary);
            int itemRows = model.itemRowsInUse();
            FullRankingEvaluator evaluator =
                    new FullRankingEvaluator(model.config().encoder().maxSeqLen(), !includeSeen, 128);
            MetricsReport hstu = evaluator.evaluate(cases, model::itemScores, itemRows, model.manager());
            MetricsReport popular = evaluator.evaluate(
                    cases, MostPopular.fit(loo, itemRows, model.manager()), itemRows, model.manager());
            System.out.printf(
                    "model %s (%s), %s split, %s seen items%n",
                    dir, model.config().encoder().type(), split, includeSeen ? "including" : "excluding");
            System.out.println("model        " + hstu.summary());
            System.out.println("most-popular " + popular.summary());
        }
        return 0;
    }

    /** @param args command-line arguments */
    public static void main(String[] args) {
        System.exit(new CommandLine(new EvalCommand()).execute(args));
    }
}
