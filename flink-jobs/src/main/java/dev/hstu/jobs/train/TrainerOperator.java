package dev.hstu.jobs.train;

import dev.hstu.jobs.config.TrainingSettings;
import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.HstuModel;
import dev.hstu.model.ModelFiles;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.features.ItemVocabulary;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Trains HSTU on the stream of {@link TrainingSequence}s, one optimiser step per micro-batch, and publishes model
 * versions (see {@link VersionDirectory}), emitting each version's manifest downstream.
 *
 * <p>Runs with parallelism 1: the model is one set of weights. It is an operator rather than a function because
 * it must see the end of a bounded input (to train the last partial batch and publish a final version).
 *
 * <p>Checkpoints hold the sequences not yet trained and the path of a trainer snapshot (weights, optimiser state,
 * step, item vocabulary) written at the same checkpoint, so a restore resumes training exactly where the
 * checkpoint was taken, with nothing trained twice or lost.
 */
public final class TrainerOperator extends AbstractStreamOperator<ModelVersion>
        implements OneInputStreamOperator<TrainingSequence, ModelVersion>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrainerOperator.class);
    private static final String VOCABULARY_FILE = "items.u64bin";

    /** As JSON: HstuConfig is a plain record, and operators must be serialisable. */
    private final String modelConfigJson;
    private final TrainingSettings settings;
    private final int maxLength;

    private transient HstuModel model;
    private transient HstuTrainer trainer;
    private transient ItemVocabulary vocabulary;
    private transient SequencePacker packer;
    private transient List<TrainingSequence> pending;
    private transient VersionDirectory versions;
    private transient ListState<TrainingSequence> pendingState;
    private transient ListState<String> snapshotPathState;
    /** [targets trained so far]: survives restores so manifests count every target exactly once. */
    private transient ListState<Long> countersState;
    private transient long nextVersion;
    private transient long lastPublishStep;
    private transient long lastPublishMs;
    private transient double lossSinceLastPublish;
    private transient long stepsSinceLastPublish;
    private transient long targetsTrained;
    private transient long lastLogMs;
    private transient long sequencesIn;
    private transient Counter steps;
    private transient Counter skippedSteps;
    private transient volatile float lastLoss = Float.NaN;

    public TrainerOperator(HstuConfig modelConfig, TrainingSettings settings, int maxLength) {
        this.modelConfigJson = modelConfig.toJson();
        this.settings = settings;
        this.maxLength = maxLength;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pendingState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("pending-training-sequences", TrainingSequence.class));
        snapshotPathState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("trainer-snapshot-path", String.class));
        countersState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("trainer-counters", Long.class));
        pending = new ArrayList<>();
        versions = new VersionDirectory(Path.of(settings.modelDir()));
        Path restoreFrom = null;
        if (context.isRestored()) {
            for (TrainingSequence s : pendingState.get()) {
                pending.add(s);
            }
            for (String p : snapshotPathState.get()) {
                restoreFrom = Path.of(p);
            }
            for (Long trained : countersState.get()) {
                targetsTrained = trained;
            }
        }
        HstuConfig modelConfig = HstuConfig.fromJson(modelConfigJson);
        if (restoreFrom != null) {
            resumeFrom(restoreFrom);
            LOG.info("Trainer restored from {} at step {} with {} pending sequences",
                    restoreFrom, trainer.stepCount(), pending.size());
        } else if (settings.warmStart() && versions.latestVersion().isPresent()) {
            long latest = versions.latestVersion().getAsLong();
            Path dir = versions.root().resolve(VersionDirectory.directoryName(latest));
            VersionDirectory.verify(dir);
            requireSameModel(HstuConfig.read(dir.resolve(ModelFiles.CONFIG)), modelConfig, dir);
            resumeFrom(dir);
            LOG.info("Trainer warm-started from model version {} (step {}, {} items)", latest, trainer.stepCount(),
                    vocabulary.size());
        } else {
            model = HstuModel.create(modelConfig);
            trainer = new HstuTrainer(model);
            vocabulary = new ItemVocabulary(modelConfig.itemCapacity());
        }
        packer = new SequencePacker(vocabulary, true);
        nextVersion = versions.latestVersion().orElse(0L) + 1;
        lastPublishStep = trainer.stepCount();
        lastPublishMs = System.currentTimeMillis();
        lastLogMs = lastPublishMs;
    }

    private void resumeFrom(Path dir) throws IOException {
        trainer = HstuTrainer.resume(dir);
        model = trainer.model();
        vocabulary = ItemVocabulary.load(dir.resolve(VOCABULARY_FILE), model.config().itemCapacity());
    }

    /** A warm start must not silently train another architecture than the one configured. */
    private static void requireSameModel(HstuConfig saved, HstuConfig configured, Path dir) {
        HstuConfig comparable = saved.toBuilder().device(configured.device()).build();
        if (!comparable.equals(configured)) {
            throw new IllegalStateException("training.warmStart: the newest version at " + dir
                    + " was trained with another model configuration (" + saved.toJson() + ") than the configured "
                    + configured.toJson() + "; move that directory away or set training.warmStart=false");
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        steps = getMetricGroup().counter("trainSteps");
        skippedSteps = getMetricGroup().counter("skippedSteps");
        getMetricGroup().gauge("lastLoss", () -> lastLoss);
        getMetricGroup().gauge("itemsInVocabulary", () -> vocabulary.size());
    }

    @Override
    public void processElement(StreamRecord<TrainingSequence> element) {
        sequencesIn++;
        pending.add(element.getValue());
        if (pending.size() >= settings.batchSize()) {
            trainPending();
            publishIfDue();
        }
    }

    @Override
    public void endInput() {
        if (!pending.isEmpty()) {
            trainPending();
        }
        LOG.info("End of training input: {} sequences in, {} steps, {} targets trained", sequencesIn,
                trainer.stepCount(), targetsTrained);
        publish(true);
    }

    private void trainPending() {
        for (TrainingSequence s : pending) {
            packer.add(s.items(), s.actions(), s.timestampsMs(), settings.trainAllPositions() ? 0 : s.firstTarget(),
                    maxLength);
        }
        pending.clear();
        PackedBatch batch = packer.drain();
        StepResult result = trainer.step(batch);
        steps.inc();
        if (result.skipped()) {
            skippedSteps.inc();
            LOG.warn("Training step {} produced a non-finite loss; parameters were not updated", result.step());
            return;
        }
        lastLoss = result.loss();
        lossSinceLastPublish += result.loss();
        stepsSinceLastPublish++;
        targetsTrained += result.numTargets();
        long now = System.currentTimeMillis();
        if (now - lastLogMs >= 5_000) {
            LOG.info("train step {}: loss {} lr {} ({} targets, {} ms/step), {} items known",
                    result.step(), String.format("%.4f", result.loss()), String.format("%.2e", result.learningRate()),
                    result.numTargets(), result.millis(), vocabulary.size());
            lastLogMs = now;
        }
    }

    private void publishIfDue() {
        long stepsSince = trainer.stepCount() - lastPublishStep;
        long msSince = System.currentTimeMillis() - lastPublishMs;
        if (stepsSince >= settings.publishEverySteps()
                || (stepsSince > 0 && msSince >= settings.publishEveryMs())) {
            publish(false);
        }
    }

    private void publish(boolean finalVersion) {
        // A version published with no step since the previous one (end of input right after a publish) carries the
        // last step's loss rather than no figure at all.
        double meanLoss = stepsSinceLastPublish == 0 ? lastLoss : lossSinceLastPublish / stepsSinceLastPublish;
        model.setItemRowsInUse(vocabulary.size());
        ModelVersion manifest = versions.publish(nextVersion, dir -> {
            try {
                // The trainer's state (weights, optimiser moments, step) so a later job can warm-start from it.
                trainer.save(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            saveVocabulary(dir);
        }, new VersionDirectory.ManifestFields(trainer.stepCount(), meanLoss, targetsTrained, vocabulary.size(),
                finalVersion));
        versions.prune(settings.keepVersions());
        LOG.info("Published model version {} (step {}, mean loss {}, {} items{})", manifest.version(),
                manifest.step(), String.format("%.4f", meanLoss), manifest.items(), finalVersion ? ", final" : "");
        output.collect(new StreamRecord<>(manifest));
        nextVersion++;
        lastPublishStep = trainer.stepCount();
        lastPublishMs = System.currentTimeMillis();
        lossSinceLastPublish = 0;
        stepsSinceLastPublish = 0;
    }

    private void saveVocabulary(Path dir) {
        try {
            vocabulary.save(dir.resolve(VOCABULARY_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(pending);
        // The trainer snapshot is written synchronously so that it matches the checkpoint exactly.
        Path dir = versions.root().resolve("trainer-checkpoints").resolve("chk-" + context.getCheckpointId());
        Files.createDirectories(dir);
        trainer.save(dir);
        saveVocabulary(dir);
        snapshotPathState.update(List.of(dir.toString()));
        countersState.update(List.of(targetsTrained));
    }

    /** Snapshots older than a completed checkpoint can never be restored from again. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Path parent = versions.root().resolve("trainer-checkpoints");
        if (!Files.isDirectory(parent)) {
            return;
        }
        List<Path> stale;
        try (var children = Files.list(parent)) {
            stale = children.filter(p -> checkpointId(p) >= 0 && checkpointId(p) < checkpointId).toList();
        }
        for (Path dir : stale) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long checkpointId(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.startsWith("chk-")) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (trainer != null) {
                trainer.close();
            }
            if (model != null) {
                model.close();
            }
        } finally {
            super.close();
        }
    }
}
