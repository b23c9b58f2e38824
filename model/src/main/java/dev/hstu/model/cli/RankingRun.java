package dev.hstu.model.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.RankingEvaluator;
import dev.hstu.model.tasks.ranking.RankingSamples;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.RankingEpochTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hstu train} and {@code hstu eval} of a ranking model (one whose config has {@code model.ranking}): samples
 * from {@link RankingSamples}, MovieLens stars read by {@link RankingOptions}, per-task AUC, GAUC, NE and log loss.
 */
final class RankingRun {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RankingRun() {}

    /** What {@code hstu train} passes on to a ranking run. */
    record TrainArgs(
            HstuConfig requested,
            InputOptions input,
            RankingOptions ranking,
            MultimodalOptions multimodal,
            Path out,
            int epochs,
            int batchSize,
            int patience,
            Integer itemCapacity) {}

    static int train(TrainArgs args, PrintStream out) throws IOException {
        HstuConfig requested = args.requested();
        ItemVocabulary vocabulary =
                new ItemVocabulary(args.itemCapacity() != null ? args.itemCapacity() : Integer.MAX_VALUE - 8);
        args.input().ratingActions(args.ranking().actions()::action);
        UserSequences users = args.input().load(vocabulary, true, requested);
        checkLabels(users, requested);
        RankingSamples.Split split = RankingSamples.split(
                users, args.ranking().windowEvents, requested.encoder().maxSeqLen());
        int stepsPerEpoch = RankingEpochTrainer.stepsPerEpoch(split, args.batchSize());
        long totalSteps = (long) stepsPerEpoch * args.epochs();
        HstuConfig config = requested
                .with(
                        "items.capacity",
                        args.itemCapacity() != null ? args.itemCapacity() : Math.max(3, vocabulary.size()))
                .with(
                        "optimizer.totalSteps",
                        requested.optimizer().totalSteps() > 0
                                ? requested.optimizer().totalSteps()
                                : totalSteps + 1)
                .with("optimizer.warmupSteps", (int)
                        Math.min(requested.optimizer().warmupSteps(), totalSteps / 2))
                .validate();
        out.printf(
                "ranking data %s: users=%d items=%d events=%d; samples train=%d validation=%d test=%d (%d users too"
                        + " short); %d steps/epoch; config %s%n",
                args.input().file(),
                users.size(),
                vocabulary.size() - 2,
                users.totalEvents(),
                split.train().size(),
                split.validation().size(),
                split.test().size(),
                split.skippedUsers(),
                stepsPerEpoch,
                config.toJson().replaceAll("\\s+", " "));
        ModelStore store = new ModelStore(args.out());
        long version = store.nextVersion();
        RankingEpochTrainer.Options options = new RankingEpochTrainer.Options(
                args.epochs(),
                args.batchSize(),
                args.patience(),
                config.runtime().seed());
        RankingEpochTrainer.Outcome[] outcome = new RankingEpochTrainer.Outcome[1];
        ModelVersion published = store.publish(version, dir -> {
            try (HstuModel m = HstuModel.create(config);
                    HstuTrainer trainer = new HstuTrainer(m)) {
                args.multimodal().attach(m, vocabulary, out);
                outcome[0] = new RankingEpochTrainer(options).run(trainer, users, split, dir, out);
            }
            vocabulary.save(dir.resolve(ModelFiles.VOCABULARY));
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("version", version);
            metrics.put("input", args.input().file().toString());
            metrics.put("task", "ranking");
            metrics.put("windowEvents", args.ranking().windowEvents);
            metrics.put("ratingActions", args.ranking().actions());
            metrics.put("bestEpoch", outcome[0].best().epoch());
            metrics.put("validation", outcome[0].best().validation());
            metrics.put("test", outcome[0].test());
            metrics.put("trainSeconds", outcome[0].trainSeconds());
            metrics.put("epochs", outcome[0].epochs());
            AtomicFiles.write(dir.resolve(TrainCommand.METRICS), o -> JSON.writeValue(o, metrics));
            long candidates = outcome[0].epochs().stream()
                    .mapToLong(RankingEpochTrainer.EpochResult::candidates)
                    .sum();
            return new ModelStore.ManifestFields(
                    outcome[0].best().steps(), outcome[0].best().meanLoss(), candidates, vocabulary.size(), true);
        });
        out.printf(
                "best epoch %d (validation mean AUC %.4f); test:%n%swrote %s%n",
                outcome[0].best().epoch(),
                outcome[0].best().validation().meanAuc(),
                outcome[0].test().summary(),
                published.path());
        return 0;
    }

    static int eval(
            HstuModel model,
            Path dir,
            ItemVocabulary vocabulary,
            InputOptions input,
            RankingOptions ranking,
            String splitName,
            PrintStream out)
            throws IOException {
        input.ratingActions(ranking.actions()::action);
        UserSequences users = input.load(vocabulary, false, model.config());
        checkLabels(users, model.config());
        RankingSamples.Split split = RankingSamples.split(
                users, ranking.windowEvents, model.config().encoder().maxSeqLen());
        List<RankingSamples.Window> windows = splitName.equals("test") ? split.test() : split.validation();
        RankingEvaluator.Result result = RankingEvaluator.evaluate(model, users, windows, 64);
        out.printf(
                "ranking model %s (%s), %s split: %d samples, %d candidates (windows of %d events; click >= %.1f,"
                        + " like >= %.1f stars)%n%s",
                dir,
                model.config().encoder().type(),
                splitName,
                windows.size(),
                result.candidates(),
                ranking.windowEvents,
                ranking.clickRating,
                ranking.likeRating,
                result.summary());
        return 0;
    }

    /** Refuses events whose action has a bit no ranking task labels, naming the user and the event time. */
    private static void checkLabels(UserSequences users, HstuConfig config) {
        int allowed = config.ranking().labelBits();
        for (int u = 0; u < users.size(); u++) {
            int[] actions = users.actions().get(u);
            for (int i = 0; i < actions.length; i++) {
                if ((actions[i] & ~allowed) != 0) {
                    throw new IllegalArgumentException("user " + users.userIds()[u] + "'s event at "
                            + Instant.ofEpochSecond(users.timestamps().get(u)[i]) + " has action bitmask " + actions[i]
                            + " with bits outside the ranking tasks' bitmasks " + allowed + " (model.ranking.tasks)");
                }
            }
        }
    }
}
