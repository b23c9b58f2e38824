package dev.hstu.jobs.train;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.batch.MicroBatchBuilder;
import dev.hstu.jobs.config.FeatureSettings;
import dev.hstu.jobs.config.TrainingSettings;
import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import dev.hstu.model.modules.features.InputFeatures;
import dev.hstu.model.train.StepResult;
import dev.hstu.model.train.StreamingTrainer;
import dev.hstu.model.train.UntrainableBatchException;
import dev.hstu.sink.DeadLetter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains HSTU inside the training job on the stream of {@link TrainingSequence}s, one optimiser step per
 * {@code training.batchSize} sequences, with the {@link StreamingTrainer} the standalone trainer uses too, and emits the
 * manifest of every published version downstream (to model-updates).
 *
 * <p>Runs with parallelism 1: the model is one set of weights. It is an operator rather than a function because
 * it must see the end of a bounded input (to train the last partial batch and publish a final version).
 *
 * <p>With {@code training.shuffleBuffer} above the batch size, the operator holds that many sequences and each step
 * draws its batch from them at random, so a step mixes many users' windows instead of the few users active at one
 * moment of the stream.
 *
 * <p>Checkpoints hold the sequences not yet trained, the trained-targets count, and the path of a trainer snapshot
 * (weights, optimiser state, step, item vocabulary) written at the same checkpoint, so a restore resumes training
 * exactly where the checkpoint was taken, with nothing trained twice or lost.
 *
 * <p>A micro-batch the model cannot train on ({@link UntrainableBatchException}: an action outside the model's
 * action space, no trainable target because every target is out of the item vocabulary, ...) goes to
 * {@link #DEAD_LETTERS} with the reason and is counted in {@code untrainableBatches}; training goes on with the next
 * batch, since a restart would only meet the same batch again.
 */
public final class TrainerOperator extends AbstractStreamOperator<ModelVersion>
        implements OneInputStreamOperator<TrainingSequence, ModelVersion>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrainerOperator.class);
    private static final String SNAPSHOTS = "trainer-checkpoints";
    /** User ids named in an untrainable batch's reason, so the letter says whose sequences to look at. */
    private static final int USERS_IN_REASON = 8;

    /** Untrainable micro-batches, encoded as the standalone trainer reads them, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("trainer-dead-letters", TypeInformation.of(DeadLetter.class));

    /** As JSON: HstuConfig is a plain record, and operators must be serialisable. */
    private final String modelConfigJson;

    private final TrainingSettings settings;
    private final int maxLength;
    private final FeatureSettings features;
    private final int deadLetterMaxBytes;

    private transient StreamingTrainer trainer;
    private transient long seed;
    private transient MicroBatchBuilder builder;
    private transient List<TrainingSequence> pending;
    private transient ListState<TrainingSequence> pendingState;
    private transient ListState<String> snapshotPathState;
    /** [targets trained so far]: survives restores so manifests count every target exactly once. */
    private transient ListState<Long> countersState;

    private transient long sequencesIn;
    private transient Counter steps;
    private transient Counter skippedSteps;
    private transient Counter untrainableBatches;
    /** Processing time the oldest sequence not yet in a published version arrived (0: none). */
    private transient long oldestUnpublishedMs;
    /** How long the oldest sequence of the last published version waited for it (event-to-model freshness). */
    private transient volatile long lastStalenessMs = -1;

    public TrainerOperator(HstuConfig modelConfig, TrainingSettings settings, int maxLength) {
        this(modelConfig, settings, maxLength, FeatureSettings.defaults());
    }

    /** @param features the files of the model's multimodal item embeddings, read when the operator opens */
    public TrainerOperator(HstuConfig modelConfig, TrainingSettings settings, int maxLength, FeatureSettings features) {
        this(modelConfig, settings, maxLength, features, DeadLetter.DEFAULT_MAX_BYTES);
    }

    /** @param deadLetterMaxBytes the bound of an untrainable batch's dead letter ({@code kafka.deadLetterMaxBytes}) */
    public TrainerOperator(
            HstuConfig modelConfig,
            TrainingSettings settings,
            int maxLength,
            FeatureSettings features,
            int deadLetterMaxBytes) {
        this.modelConfigJson = modelConfig.toJson();
        this.settings = settings;
        this.maxLength = maxLength;
        this.features = features;
        this.deadLetterMaxBytes = deadLetterMaxBytes;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pendingState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("pending-training-sequences", TrainingSequence.class));
        snapshotPathState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("trainer-snapshot-path", String.class));
        countersState =
                context.getOperatorStateStore().getListState(new ListStateDescriptor<>("trainer-counters", Long.class));
        pending = new ArrayList<>();
        HstuConfig modelConfig = HstuConfig.fromJson(modelConfigJson);
        seed = modelConfig.runtime().seed();
        builder = new MicroBatchBuilder(InputFeatures.columns(modelConfig));
        Path restoreFrom = null;
        long trained = 0;
        if (context.isRestored()) {
            pendingState.get().forEach(pending::add);
            for (String p : snapshotPathState.get()) {
                restoreFrom = Path.of(p);
            }
            for (Long t : countersState.get()) {
                trained = t;
            }
        }
        trainer = StreamingTrainer.open(
                modelConfig, settings.trainer(), maxLength, restoreFrom, features.catalog(modelConfig));
        trainer.restoreTargetsTrained(trained);
        if (restoreFrom != null) {
            LOG.info(
                    "Trainer restored from {} at step {} with {} pending sequences",
                    restoreFrom,
                    trainer.stepCount(),
                    pending.size());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        steps = getMetricGroup().counter("trainSteps");
        skippedSteps = getMetricGroup().counter("skippedSteps");
        untrainableBatches = getMetricGroup().counter("untrainableBatches");
        getMetricGroup().gauge("lastLoss", () -> trainer.lastLoss());
        getMetricGroup().gauge("itemsInVocabulary", () -> trainer.items());
        getMetricGroup().gauge("modelStalenessMs", () -> lastStalenessMs);
        getMetricGroup().gauge("rollbacks", () -> trainer.rollbacks());
        getMetricGroup().gauge("truncatedUserFeatures", () -> builder.truncatedUserFeatures());
        getMetricGroup().gauge("multimodalItems", () -> trainer.multimodalCoveredRows());
    }

    @Override
    public void processElement(StreamRecord<TrainingSequence> element) {
        sequencesIn++;
        if (oldestUnpublishedMs == 0) {
            oldestUnpublishedMs = getProcessingTimeService().getCurrentProcessingTime();
        }
        pending.add(element.getValue());
        if (pending.size() >= settings.bufferedSequences()) {
            trainBatch(takeBatch());
            if (trainer.publishDue()) {
                emit(trainer.publish(false, null, null));
            }
        }
    }

    /**
     * The next step's sequences: the oldest {@code batchSize} without a shuffle buffer, else {@code batchSize} drawn
     * at random from the buffer, seeded by the model's seed and the step so that a restore draws the same.
     */
    private List<TrainingSequence> takeBatch() {
        int n = Math.min(settings.batchSize(), pending.size());
        if (settings.shuffleBuffer() <= settings.batchSize()) {
            List<TrainingSequence> batch = new ArrayList<>(pending.subList(0, n));
            pending.subList(0, n).clear();
            return batch;
        }
        Random random = new Random(seed * 1_000_003L + trainer.stepCount());
        List<TrainingSequence> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(pending.size());
            int last = pending.size() - 1;
            batch.add(pending.get(pick));
            pending.set(pick, pending.get(last));
            pending.remove(last);
        }
        return batch;
    }

    @Override
    public void endInput() {
        while (!pending.isEmpty()) {
            trainBatch(takeBatch());
            if (!pending.isEmpty() && trainer.publishDue()) {
                emit(trainer.publish(false, null, null));
            }
        }
        LOG.info(
                "End of training input: {} sequences in, {} steps, {} targets trained",
                sequencesIn,
                trainer.stepCount(),
                trainer.targetsTrained());
        emit(trainer.publish(true, null, null));
    }

    private void trainBatch(List<TrainingSequence> sequences) {
        for (TrainingSequence s : sequences) {
            builder.add(s, maxLength);
        }
        long now = System.currentTimeMillis();
        MicroBatch batch = builder.build(now);
        StepResult result;
        try {
            result = trainer.train(batch);
        } catch (UntrainableBatchException e) {
            deadLetter(batch, e.getMessage(), now);
            return;
        }
        steps.inc();
        if (result.skipped()) {
            skippedSteps.inc();
        }
    }

    private void deadLetter(MicroBatch batch, String reason, long now) {
        untrainableBatches.inc();
        StringBuilder users = new StringBuilder();
        for (int s = 0; s < Math.min(batch.size(), USERS_IN_REASON); s++) {
            users.append(s == 0 ? "" : ", ").append(Long.toUnsignedString(batch.userIds()[s]));
        }
        String why = "untrainable micro-batch of " + batch.size() + " sequences (users " + users
                + (batch.size() > USERS_IN_REASON ? ", ..." : "") + "): " + reason;
        LOG.error("{}; dead-lettered, training goes on", why);
        output.collect(
                DEAD_LETTERS,
                new StreamRecord<>(
                        DeadLetter.of(why, MicroBatchCodec.encode(batch), null, -1, -1, now, deadLetterMaxBytes)));
    }

    /**
     * Sequences received but not yet trained: fewer than {@code training.batchSize} or {@code training.shuffleBuffer}
     * (see docs/pipeline.md).
     */
    int pendingSequences() {
        return pending.size();
    }

    private void emit(ModelVersion manifest) {
        if (oldestUnpublishedMs > 0) {
            lastStalenessMs = getProcessingTimeService().getCurrentProcessingTime() - oldestUnpublishedMs;
            oldestUnpublishedMs = 0;
        }
        output.collect(new StreamRecord<>(manifest));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(pending);
        // Written synchronously so that it matches the checkpoint exactly.
        Path dir = trainer.versions().root().resolve(SNAPSHOTS).resolve("chk-" + context.getCheckpointId());
        Files.createDirectories(dir);
        trainer.snapshot(dir);
        snapshotPathState.update(List.of(dir.toString()));
        countersState.update(List.of(trainer.targetsTrained()));
    }

    /** Snapshots older than a completed checkpoint can never be restored from again. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Path parent = trainer.versions().root().resolve(SNAPSHOTS);
        if (!Files.isDirectory(parent)) {
            return;
        }
        List<Path> stale;
        try (var children = Files.list(parent)) {
            stale = children.filter(p -> checkpointId(p) >= 0 && checkpointId(p) < checkpointId)
                    .toList();
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
        } finally {
            super.close();
        }
    }
}
