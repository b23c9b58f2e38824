package dev.hstu.model.train;

import dev.hstu.formats.store.ModelDirectoryLock;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MultimodalCatalog;
import dev.hstu.model.data.MultimodalItemTables;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.SequencePacker;
import dev.hstu.model.modules.features.InputFeatures;
import dev.hstu.model.tasks.match.MatchTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop both trainers share (the in-job operator and the standalone {@code hstu trainer}): owns the
 * model, its optimiser and the item vocabulary; turns micro-batches into optimiser steps; and publishes versions
 * (trainer state + vocabulary, see {@link ModelStore}) when due. Plain Java: no Flink, no Kafka.
 */
public final class StreamingTrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingTrainer.class);

    /**
     * How long a trainer waits for the model directory's previous writer: a Flink task restarted after a failure can
     * open while the failed one is still closing.
     */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(60);

    /** Fewest steps between two uploads of the multimodal tables, each a copy of all of them to the device. */
    static final int MULTIMODAL_UPLOAD_EVERY_STEPS = 20;

    private final TrainerSettings settings;
    private final int maxLength;
    private final ModelStore versions;
    private HstuTrainer trainer;
    private HstuModel model;
    private ItemVocabulary vocabulary;
    private SequencePacker packer;
    private long nextVersion;
    private long lastPublishStep;
    private long lastPublishMs;
    private double lossSinceLastPublish;
    private long stepsSinceLastPublish;
    private long targetsTrained;
    private long skippedSteps;
    private long maxEventTimeMs;
    private int consecutiveSkips;
    private long rollbacks;
    private ModelDirectoryLock writerLock;
    private float lastLoss = Float.NaN;
    private long lastLogMs;
    /** The fixed multimodal item embeddings by item id; null when the model takes none. */
    private final MultimodalCatalog catalog;

    private MultimodalItemTables multimodalTables;
    private int multimodalFilledRows;
    private boolean multimodalStale;
    private long multimodalUploadStep;
    private int multimodalCoveredRows;
    private int multimodalUploadedRows;

    private StreamingTrainer(
            TrainerSettings settings,
            int maxLength,
            ModelStore versions,
            HstuTrainer trainer,
            ItemVocabulary vocabulary,
            MultimodalCatalog catalog) {
        this.catalog = catalog;
        this.settings = settings;
        this.maxLength = maxLength;
        this.versions = versions;
        this.trainer = trainer;
        this.model = trainer.model();
        this.vocabulary = vocabulary;
        this.packer = new SequencePacker(vocabulary, true, InputFeatures.columns(model.config()));
        this.nextVersion = versions.latestVersion().orElse(0L) + 1;
        this.lastPublishStep = trainer.stepCount();
        this.lastPublishMs = System.currentTimeMillis();
        this.lastLogMs = lastPublishMs;
        attachMultimodal();
    }

    /**
     * Fresh tables for the model and vocabulary in use, filled for the rows known so far and uploaded; a model
     * without multimodal features needs none, one with them cannot train without its files.
     */
    private void attachMultimodal() {
        if (model.config().features().multimodalDims().isEmpty()) {
            return;
        }
        if (catalog == null) {
            throw new IllegalStateException(
                    "model.features.multimodalDims=" + model.config().features().multimodalDims()
                            + " needs its item embeddings: set features.multimodalFiles");
        }
        catalog.checkFits(model.config());
        multimodalTables = MultimodalItemTables.forConfig(model.config());
        multimodalFilledRows = ItemVocabulary.FIRST_ITEM;
        multimodalCoveredRows = 0;
        multimodalUploadedRows = 0;
        multimodalStale = true;
        refreshMultimodal(true);
    }

    /**
     * Fills the rows of items the vocabulary gained since the last call, and uploads the tables when that gave
     * some row a vector, at most once every {@link #MULTIMODAL_UPLOAD_EVERY_STEPS} steps: an upload copies the whole
     * tables to the device. Until then a new item's event reads a zero vector for its multimodal input; the first
     * rows with vectors are uploaded at once.
     */
    private void refreshMultimodal(boolean force) {
        if (multimodalTables == null) {
            return;
        }
        if (vocabulary.size() > multimodalFilledRows) {
            int covered = catalog.fill(multimodalTables, vocabulary, multimodalFilledRows, vocabulary.size());
            multimodalCoveredRows += covered;
            multimodalStale |= covered > 0;
            multimodalFilledRows = vocabulary.size();
        }
        boolean noneUploaded = multimodalUploadedRows == 0;
        if (multimodalStale
                && (force
                        || noneUploaded
                        || trainer.stepCount() - multimodalUploadStep >= MULTIMODAL_UPLOAD_EVERY_STEPS)) {
            model.setMultimodalTables(multimodalTables);
            multimodalStale = false;
            multimodalUploadStep = trainer.stepCount();
            multimodalUploadedRows = multimodalCoveredRows;
        }
    }

    /** Item rows that have a multimodal vector in the tables (0 when the model takes none). */
    public int multimodalCoveredRows() {
        return multimodalCoveredRows;
    }

    /**
     * Opens a trainer: from {@code snapshot} when given (a checkpoint restore), else from the newest published
     * version when {@code warmStart} is on and there is one (refusing one of another architecture), else
     * a fresh model.
     */
    public static StreamingTrainer open(HstuConfig configured, TrainerSettings settings, int maxLength, Path snapshot)
            throws IOException {
        return open(configured, settings, maxLength, snapshot, null);
    }

    /**
     * Like {@link #open(HstuConfig, TrainerSettings, int, Path)}, with the item embeddings of the model's
     * multimodal features ({@code model.features.multimodalDims}); null when it takes none.
     */
    public static StreamingTrainer open(
            HstuConfig configured, TrainerSettings settings, int maxLength, Path snapshot, MultimodalCatalog catalog)
            throws IOException {
        MatchTask.requireNoSideColumns(configured, "the streaming trainer");
        ModelDirectoryLock lock = ModelDirectoryLock.acquire(settings.modelDir(), "streaming trainer", LOCK_WAIT);
        try {
            StreamingTrainer opened = openLocked(configured, settings, maxLength, snapshot, catalog);
            opened.writerLock = lock;
            return opened;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static StreamingTrainer openLocked(
            HstuConfig configured, TrainerSettings settings, int maxLength, Path snapshot, MultimodalCatalog catalog)
            throws IOException {
        ModelStore versions = new ModelStore(settings.modelDir());
        if (snapshot != null) {
            return resume(settings, maxLength, versions, snapshot, catalog);
        }
        if (settings.warmStart() && versions.latestVersion().isPresent()) {
            long latest = versions.latestVersion().getAsLong();
            Path dir = versions.versionDir(latest);
            ModelVersion manifest = ModelStore.verify(dir);
            requireSameModel(HstuConfig.read(dir.resolve(ModelFiles.CONFIG)), configured, dir);
            StreamingTrainer warm = resume(settings, maxLength, versions, dir, catalog);
            warm.maxEventTimeMs = manifest.maxEventTimeMs();
            LOG.info(
                    "Trainer warm-started from model version {} (step {}, {} items)",
                    latest,
                    warm.stepCount(),
                    warm.vocabulary.size());
            return warm;
        }
        HstuModel model = HstuModel.create(configured);
        return new StreamingTrainer(
                settings,
                maxLength,
                versions,
                new HstuTrainer(model),
                new ItemVocabulary(configured.items().capacity()),
                catalog);
    }

    private static StreamingTrainer resume(
            TrainerSettings settings, int maxLength, ModelStore versions, Path dir, MultimodalCatalog catalog)
            throws IOException {
        HstuTrainer trainer = HstuTrainer.resume(dir);
        try {
            ItemVocabulary vocabulary = ItemVocabulary.load(
                    ModelFiles.vocabulary(dir), trainer.model().config().items().capacity());
            return new StreamingTrainer(settings, maxLength, versions, trainer, vocabulary, catalog);
        } catch (IOException | RuntimeException e) {
            trainer.close();
            throw e;
        }
    }

    /** A warm start must not silently train another architecture than the one configured. */
    private static void requireSameModel(HstuConfig saved, HstuConfig configured, Path dir) {
        HstuConfig comparable =
                saved.with("runtime.device", configured.runtime().device()).validate();
        if (!comparable.equals(configured)) {
            throw new IllegalStateException("training.warmStart: the newest version at " + dir
                    + " was trained with another model configuration (" + saved.toJson() + ") than the configured "
                    + configured.toJson() + "; move that directory away or set training.warmStart=false");
        }
    }

    /**
     * Why this trainer's model cannot train on {@code batch}, or null when it can: its dense features and user-feature
     * slots must be the ones the model was built for ({@code model.features.denseDim}, {@code model.features.userFeatures.slots});
     * a job and a trainer configured differently would otherwise train on zeros or ignore the features without
     * anyone noticing.
     */
    public String incompatibility(MicroBatch batch) {
        int expected = model.config().features().denseDim();
        if (batch.featureDim() != expected) {
            return "micro-batch carries " + batch.featureDim() + " dense features per event (the training job's CTR "
                    + "channels), the model takes model.features.denseDim=" + expected + "; configure the job's ctr "
                    + "section and the trainer's model alike";
        }
        int slots = model.config().features().userFeatureSlots();
        if (batch.userFeatureSlots() != slots) {
            return "micro-batch carries " + batch.userFeatureSlots() + " user-feature slots per sequence, the model "
                    + "takes model.features.userFeatures.slots=" + slots
                    + "; configure the job's and the trainer's model alike";
        }
        for (FeatureColumn column : InputFeatures.columns(model.config())) {
            ColumnValues values = batch.column(column.name());
            if (values == null || !values.column().equals(column)) {
                return "micro-batch carries " + (values == null ? "no column " + column.name() : values.column())
                        + ", the model reads " + column + "; configure the job's and the trainer's model alike";
            }
        }
        return null;
    }

    /** The first action outside the model's action space, as a reason; null when there is none. */
    private String actionOutOfRange(MicroBatch batch) {
        int numActions = model.config().features().actions().numActions();
        int[] actions = batch.actions();
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] < 0 || actions[i] >= numActions) {
                return "micro-batch event " + i + " has action " + actions[i] + ", outside the model's "
                        + "model.features.actions.numActions=" + numActions + " (check validation.actionBits)";
            }
        }
        return null;
    }

    /**
     * One optimiser step over the batch; a non-finite step is counted and leaves the model unchanged.
     *
     * @throws UntrainableBatchException when the model cannot train on the batch: its features do not fit
     *     ({@link #incompatibility}), an action lies outside {@code model.features.actions.numActions}, or the model
     *     refuses it before the step (no trainable target, e.g. every target out of the item vocabulary); the model
     *     is unchanged and the batch is to be dead-lettered, not retried
     */
    public StepResult train(MicroBatch batch) {
        String incompatible = incompatibility(batch);
        if (incompatible == null) {
            incompatible = actionOutOfRange(batch);
        }
        if (incompatible != null) {
            throw new UntrainableBatchException(incompatible);
        }
        boolean allPositions = settings.trainAllPositions();
        for (int s = 0; s < batch.size(); s++) {
            packer.add(batch, s, allPositions ? 0 : batch.firstTarget()[s], maxLength);
        }
        PackedBatch packed = packer.drain();
        refreshMultimodal(false);
        StepResult result;
        try {
            result = trainer.step(packed);
        } catch (IllegalArgumentException e) {
            // The step checks the batch against the model and asks the task for its targets before touching any
            // parameter, and refuses with this exception; nothing changed, and the same batch would fail again.
            throw new UntrainableBatchException(e.getMessage(), e);
        }
        if (result.overflow()) {
            // float16 gradients overflowed: the loss scale halves and the next step goes on; not a divergence
            skippedSteps++;
            LOG.info(
                    "Training step {}: float16 gradients overflowed, step dropped, loss scale now {}",
                    result.step(),
                    trainer.lossScale());
            return result;
        }
        if (result.skipped()) {
            skippedSteps++;
            consecutiveSkips++;
            LOG.warn(
                    "Training step {} produced a non-finite loss or gradient; parameters were not updated",
                    result.step());
            if (consecutiveSkips >= settings.maxSkippedSteps()) {
                rollBack();
            }
            return result;
        }
        consecutiveSkips = 0;
        for (long ts : batch.timestampsMs()) {
            maxEventTimeMs = Math.max(maxEventTimeMs, ts);
        }
        lastLoss = result.loss();
        lossSinceLastPublish += result.loss();
        stepsSinceLastPublish++;
        targetsTrained += result.numTargets();
        long now = System.currentTimeMillis();
        if (now - lastLogMs >= 5_000) {
            LOG.info(
                    "train step {}: loss {} lr {} ({} targets, {} ms/step), {} items known",
                    result.step(),
                    String.format("%.4f", result.loss()),
                    String.format("%.2e", result.learningRate()),
                    result.numTargets(),
                    result.millis(),
                    vocabulary.size());
            lastLogMs = now;
        }
        return result;
    }

    /**
     * Repeated non-finite steps mean the weights or optimiser state have gone bad (a skipped step changes nothing,
     * so the same state would keep failing): return to the newest published version. Without one, keep going and
     * keep counting; a diverged fresh model has nothing better to return to.
     */
    private void rollBack() {
        consecutiveSkips = 0;
        if (versions.latestVersion().isEmpty()) {
            LOG.error(
                    "{} consecutive non-finite steps and no published version to roll back to",
                    settings.maxSkippedSteps());
            return;
        }
        long latest = versions.latestVersion().getAsLong();
        Path dir = versions.versionDir(latest);
        try {
            ModelStore.verify(dir);
            HstuTrainer restored = HstuTrainer.resume(dir);
            ItemVocabulary restoredVocabulary = ItemVocabulary.load(
                    ModelFiles.vocabulary(dir),
                    restored.model().config().items().capacity());
            trainer.close();
            trainer = restored;
            model = restored.model();
            vocabulary = restoredVocabulary;
            packer = new SequencePacker(vocabulary, true, InputFeatures.columns(model.config()));
            attachMultimodal();
            lastPublishStep = trainer.stepCount();
            rollbacks++;
            LOG.error(
                    "{} consecutive non-finite steps: rolled back to model version {} (step {})",
                    settings.maxSkippedSteps(),
                    latest,
                    trainer.stepCount());
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot roll back to model version {}: {}", latest, e.getMessage());
        }
    }

    /** Rollbacks to the newest version after repeated non-finite steps. */
    public long rollbacks() {
        return rollbacks;
    }

    /** True when {@code publishEverySteps} steps or {@code publishEveryMs} have passed with progress. */
    public boolean publishDue() {
        long steps = trainer.stepCount() - lastPublishStep;
        return steps >= settings.publishEverySteps()
                || (steps > 0 && System.currentTimeMillis() - lastPublishMs >= settings.publishEveryMs());
    }

    /** Steps trained since the last published version. */
    public long stepsSincePublish() {
        return trainer.stepCount() - lastPublishStep;
    }

    /** Publishes the current model as the next version; prunes old ones. */
    public ModelVersion publish(boolean finalVersion, int[] sourcePartitions, long[] sourceOffsets) {
        // A version with no step since the previous one carries the last step's loss rather than no figure.
        double meanLoss = stepsSinceLastPublish == 0 ? lastLoss : lossSinceLastPublish / stepsSinceLastPublish;
        model.setItemRowsInUse(vocabulary.size());
        ModelVersion manifest = versions.publish(nextVersion, dir -> {
            snapshot(dir);
            return new ModelStore.ManifestFields(
                    trainer.stepCount(),
                    meanLoss,
                    targetsTrained,
                    vocabulary.size(),
                    finalVersion,
                    sourcePartitions,
                    sourceOffsets,
                    maxEventTimeMs);
        });
        versions.prune(settings.keepVersions());
        LOG.info(
                "Published model version {} (step {}, mean loss {}, {} items{})",
                manifest.version(),
                manifest.step(),
                String.format("%.4f", meanLoss),
                manifest.items(),
                finalVersion ? ", final" : "");
        nextVersion++;
        lastPublishStep = trainer.stepCount();
        lastPublishMs = System.currentTimeMillis();
        lossSinceLastPublish = 0;
        stepsSinceLastPublish = 0;
        return manifest;
    }

    /** Writes the trainer state (weights, optimiser moments, step) and the item vocabulary into {@code dir}. */
    public void snapshot(Path dir) {
        try {
            trainer.save(dir);
            vocabulary.save(dir.resolve(ModelFiles.VOCABULARY));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trainer state to " + dir, e);
        }
    }

    public ModelStore versions() {
        return versions;
    }

    public long stepCount() {
        return trainer.stepCount();
    }

    public long targetsTrained() {
        return targetsTrained;
    }

    /** Restores the trained-targets count of a checkpoint, so manifests count every target once. */
    public void restoreTargetsTrained(long trained) {
        targetsTrained = trained;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    public float lastLoss() {
        return lastLoss;
    }

    public int items() {
        return vocabulary.size();
    }

    @Override
    public void close() {
        try {
            trainer.close();
        } finally {
            releaseWriterLock();
        }
    }

    private void releaseWriterLock() {
        if (writerLock == null) {
            return;
        }
        try {
            writerLock.close();
        } catch (IOException e) {
            // the operating system releases it when the process ends; nothing else holds on to it
            LOG.warn("could not release the lock of {}: {}", settings.modelDir(), e.toString());
        }
        writerLock = null;
    }
}
