package dev.hstu.model.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.store.ModelDirectoryLock;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.LeaveOneOutSplit;
import dev.hstu.model.train.EpochTrainer;
import dev.hstu.model.train.HstuTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hstu train}: trains on the training part of a leave-one-out split for several epochs,
 * keeps the epoch with the best validation NDCG@10 and publishes it as the next version {@code
 * <out>/v-NNNNNNNN} of the {@link ModelStore} (config, parameters, item vocabulary, metrics, manifest). A ranking
 * model ({@code --task ranking} or a {@code model.ranking} section) is trained by {@link RankingRun} instead.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train an HSTU (or Transformer baseline) model on an interaction log; writes a versioned model directory.")
public final class TrainCommand implements Callable<Integer> {

    /** Per-epoch metrics and the selected epoch, JSON. */
    public static final String METRICS = "metrics.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    private InputOptions input = new InputOptions();

    @Mixin
    private ModelOptions model = new ModelOptions();

    @Mixin
    private MultimodalOptions multimodal = new MultimodalOptions();

    @Option(names = "--out", required = true, description = "directory of model versions")
    private Path out;

    @Option(
            names = "--epochs",
            description = "maximum epochs; the learning rate decays to 0 at the last (default 20, or the preset's)")
    private Integer epochs;

    @Option(names = "--batch-size", description = "users per step (default 32, or the preset's)")
    private Integer batchSize;

    @Option(
            names = "--batch-tokens",
            defaultValue = "0",
            description = "0: --batch-size users per step; N > 0: as many sequences per step as fit N padded tokens"
                    + " (sequences x longest), which keeps a GPU busy on short or long-tailed histories")
    private int batchTokens;

    @Option(
            names = "--patience",
            description = "stop after N epochs without validation gain; 0 = never (default 0, or the preset's)")
    private Integer patience;

    @Option(names = "--item-capacity", description = "item table rows (default: the items in the data + 2)")
    private Integer itemCapacity;

    @Option(names = "--include-seen", description = "rank items already in the history too (default: excluded)")
    private boolean includeSeen;

    @Option(
            names = "--window-stride",
            description = "0: train each user's most recent max-seq-len events; N > 0: the whole history in windows N"
                    + " events apart (default 0, or the preset's)")
    private Integer windowStride;

    @Option(names = "--log-every", defaultValue = "10", description = "progress line every N steps")
    private int logEvery;

    @Option(
            names = "--task",
            description = "retrieval, ranking (= --set model.ranking={}: DLRM-HSTU ranking, docs/ranking.md) or match"
                    + " (= --set model.match={}: two-tower Match, docs/cli.md); default: the task of the config's"
                    + " model.ranking or model.match section, else retrieval")
    private String task;

    @Mixin
    private RankingOptions ranking = new RankingOptions();

    @Override
    public Integer call() throws Exception {
        HstuConfig requested = withTask(model.resolve()).validate();
        Preset.Run preset = model.presetRun();
        int epochs = given(this.epochs, preset.epochs(), 20);
        int batchSize = given(this.batchSize, preset.batchSize(), 32);
        int patience = given(this.patience, preset.patience(), 0);
        int windowStride = given(this.windowStride, preset.windowStride(), 0);
        if (requested.ranking() != null) {
            try (ModelDirectoryLock lock = lockOut()) {
                return RankingRun.train(
                        new RankingRun.TrainArgs(
                                requested, input, ranking, multimodal, out, epochs, batchSize, patience, itemCapacity),
                        System.out);
            }
        }
        ItemVocabulary vocabulary = new ItemVocabulary(itemCapacity != null ? itemCapacity : Integer.MAX_VALUE - 8);
        UserSequences users = input.load(vocabulary, true, requested);
        if (vocabulary.overflowCount() > 0) {
            System.err.printf(
                    "warning: %d events had items beyond --item-capacity=%d and were mapped to the out-of-vocabulary row%n",
                    vocabulary.overflowCount(), itemCapacity);
        }
        LeaveOneOutSplit split = new LeaveOneOutSplit(users);
        int stepsPerEpoch = EpochTrainer.stepsPerEpoch(
                split, batchSize, requested.encoder().maxSeqLen(), windowStride, batchTokens);
        long totalSteps = (long) stepsPerEpoch * epochs;
        HstuConfig config = requested
                .with("items.capacity", itemCapacity != null ? itemCapacity : Math.max(3, vocabulary.size()))
                .with(
                        "optimizer.totalSteps",
                        requested.optimizer().totalSteps() > 0
                                ? requested.optimizer().totalSteps()
                                : totalSteps + 1)
                .with("optimizer.warmupSteps", (int)
                        Math.min(requested.optimizer().warmupSteps(), totalSteps / 2))
                .validate();
        System.out.printf(
                "data %s: users=%d items=%d events=%d; %d steps/epoch; config %s%n",
                input.file(),
                users.size(),
                vocabulary.size() - 2,
                users.totalEvents(),
                stepsPerEpoch,
                config.toJson().replaceAll("\\s+", " "));

        try (ModelDirectoryLock lock = lockOut()) {
            return publish(config, split, vocabulary, epochs, batchSize, patience, windowStride);
        }
    }

    /**
     * One writer per model directory, taken once the command line, the config and the data have been accepted (a
     * refused run leaves nothing behind): a second hstu train or a streaming trainer on it is refused, named.
     */
    private ModelDirectoryLock lockOut() throws IOException {
        return ModelDirectoryLock.acquire(out, "hstu train", Duration.ZERO);
    }

    private int publish(
            HstuConfig config,
            LeaveOneOutSplit split,
            ItemVocabulary vocabulary,
            int epochs,
            int batchSize,
            int patience,
            int windowStride)
            throws IOException {
        ModelStore store = new ModelStore(out);
        long version = store.nextVersion();
        EpochTrainer.Options options = new EpochTrainer.Options(
                epochs, batchSize, patience, 128, !includeSeen, config.runtime().seed(), windowStride, batchTokens);
        Trained trained = new Trained();
        ModelVersion published = store.publish(version, dir -> {
            try (HstuModel m = HstuModel.create(config);
                    HstuTrainer trainer = new HstuTrainer(m)) {
                multimodal.attach(m, vocabulary, System.out);
                input.attachItemTower(m, vocabulary);
                trained.outcome = new EpochTrainer(options)
                        .run(trainer, split, dir, new ConsoleProgress(System.out, epochs, logEvery));
            }
            EpochTrainer.Outcome outcome = trained.outcome;
            vocabulary.save(dir.resolve(ModelFiles.VOCABULARY));
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("version", version);
            metrics.put("input", input.file().toString());
            metrics.put("excludeSeen", !includeSeen);
            metrics.put("bestEpoch", outcome.best().epoch());
            metrics.put("validation", outcome.best().validation());
            metrics.put("test", outcome.best().test());
            metrics.put("trainSeconds", outcome.trainSeconds());
            metrics.put("targetsPerSecond", outcome.targetsPerSecond());
            metrics.put("epochs", outcome.epochs());
            AtomicFiles.write(dir.resolve(METRICS), o -> JSON.writeValue(o, metrics));
            return new ModelStore.ManifestFields(
                    outcome.best().steps(), outcome.best().meanLoss(), outcome.targets(), vocabulary.size(), true);
        });
        System.out.printf(
                "best epoch %d: validation %s%n            test %s%nwrote %s%n",
                trained.outcome.best().epoch(),
                trained.outcome.best().validation().summary(),
                trained.outcome.best().test().summary(),
                published.path());
        return 0;
    }

    /** @return the command line's value, else the preset's, else the command's default */
    private static int given(Integer commandLine, Integer preset, int fallback) {
        return commandLine != null ? commandLine : preset != null ? preset : fallback;
    }

    private HstuConfig withTask(HstuConfig config) {
        if (task == null || task.equals("retrieval") && config.ranking() == null && config.match() == null) {
            return config;
        }
        if (task.equals("ranking")) {
            return config.ranking() != null ? config : config.with("ranking", Map.of());
        }
        if (task.equals("match")) {
            return config.match() != null ? config : config.with("match", Map.of());
        }
        throw new IllegalArgumentException("--task must be retrieval, ranking or match, got " + task
                + (task.equals("retrieval")
                        ? " with a model.ranking or model.match section (--set model.ranking=null or"
                                + " model.match=null drops it)"
                        : ""));
    }

    /** @param args command-line arguments */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainCommand()).execute(args));
    }

    /** What the training inside the store's callback leaves for the report after it. */
    private static final class Trained {
        EpochTrainer.Outcome outcome;
    }
}
