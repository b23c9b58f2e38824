package dev.hstu.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.ops.ScalarOps;
import dev.hstu.model.tasks.SamplingState;
import dev.hstu.model.tasks.Task;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains an {@link HstuModel} one micro-batch at a time: the loss of the model's {@link Task}
 * (next-item sampled softmax over every target position for retrieval), AdamW over the encoder's
 * and the task's parameters, warm-up then cosine learning rate, global gradient clipping.
 *
 * <p>Every random choice of a step (dropout masks, negatives) is seeded from {@code (seed,
 * step)}, so a trainer resumed from a checkpoint produces exactly the steps it would have
 * produced without the interruption. All temporaries of a step live in an {@link NDScope} and are
 * freed when the step returns.
 *
 * <p>With {@code mixedPrecision}, the passes run in float16 on copies of the float32 weights
 * ({@link Float16ParameterStore}) and the loss is scaled ({@link LossScaler}); a step whose
 * float16 gradients overflow is dropped, halves the scale and is reported as an overflow, not as
 * a divergence.
 *
 * <p>Item-ID dropout follows {@link IdDropoutSchedule}.
 *
 * <p>Not thread-safe. The PyTorch engine allows one gradient collection at a time per JVM, so run
 * one trainer per JVM (or serialise their steps).
 */
public final class HstuTrainer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HstuModel model;
    private final boolean ownsModel;
    private final HstuConfig config;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final Task.Training training;
    private final IdDropoutSchedule idDropout;
    private LossScaler lossScaler;
    private long stepCount;
    private long skippedSteps;
    /** Micro-batches whose gradients are accumulated but not yet applied. */
    private int pendingMicroBatches;
    /** Targets of those micro-batches: the accumulated gradient is of their summed loss. */
    private long pendingTargets;

    /**
     * Starts training {@code model} from step 0 (fresh optimizer state). The caller keeps
     * ownership of the model.
     *
     * @param model the model to update in place
     */
    public HstuTrainer(HstuModel model) {
        this(model, false);
    }

    private HstuTrainer(HstuModel model, boolean ownsModel) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.config = model.config();
        this.optimizer = new AdamW(
                model.parameters(),
                model.manager(),
                config.optimizer().weightDecay(),
                config.optimizer().gradClipNorm(),
                model.gradientSource());
        this.schedule = new LearningRateSchedule(config.optimizer());
        this.training = model.task().newTraining();
        this.idDropout = new IdDropoutSchedule(config.features().idDropout());
        this.lossScaler = config.runtime().mixedPrecision()
                ? LossScaler.dynamic(LossScaler.INITIAL_SCALE, 0)
                : LossScaler.disabled();
    }

    /**
     * Restores a trainer (model, optimizer moments, step) saved by {@link #save(Path)}. The
     * returned trainer owns its model: closing the trainer closes it.
     *
     * @param dir checkpoint directory
     * @return the trainer
     * @throws IOException if a file is missing or malformed
     */
    public static HstuTrainer resume(Path dir) throws IOException {
        HstuModel model = HstuModel.load(dir);
        HstuTrainer trainer = null;
        try {
            trainer = new HstuTrainer(model, true);
            TrainerState state =
                    JSON.readValue(dir.resolve(ModelFiles.TRAINER_STATE).toFile(), TrainerState.class);
            trainer.stepCount = state.stepCount();
            trainer.skippedSteps = state.skippedSteps();
            if (trainer.lossScaler.enabled() && state.lossScale() != null) {
                trainer.lossScaler = LossScaler.dynamic(state.lossScale(), state.lossScaleGoodSteps());
            }
            trainer.training.restore(new SamplingState(state.recentTargets(), state.hardNegatives()));
            try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(ModelFiles.OPTIMIZER)));
                    NDManager scratch = model.manager().newSubManager()) {
                trainer.optimizer.restore(NDList.decode(scratch, in));
            }
            return trainer;
        } catch (IOException | RuntimeException e) {
            if (trainer != null) {
                trainer.close();
            } else {
                model.close();
            }
            throw e;
        }
    }

    /**
     * Writes the model (see {@link HstuModel#save(Path)}), the optimizer moments, the step
     * counters and the task's {@link SamplingState} (the recent targets with popularity sampling
     * or a rank package, the cached hard negatives with a cache) into {@code dir}. Gradients of
     * micro-batches not yet applied ({@code gradientAccumulationSteps > 1}) are not saved: a
     * resumed trainer starts a fresh accumulation group.
     *
     * @param dir checkpoint directory (created if absent)
     * @throws IOException on failure
     */
    public void save(Path dir) throws IOException {
        SamplingState sampling = training.state();
        model.save(dir);
        AtomicFiles.write(
                dir.resolve(ModelFiles.OPTIMIZER), out -> optimizer.state().encode(out));
        AtomicFiles.write(
                dir.resolve(ModelFiles.TRAINER_STATE),
                out -> JSON.writeValue(
                        out,
                        new TrainerState(
                                1,
                                stepCount,
                                skippedSteps,
                                sampling.recentTargets(),
                                lossScaler.enabled() ? lossScaler.scale() : null,
                                lossScaler.goodSteps(),
                                sampling.hardNegatives())));
    }

    /**
     * One optimisation step over every target position of {@code batch}; with {@code
     * gradientAccumulationSteps = N > 1}, one micro-batch: the parameters are updated on every
     * N-th call, from the gradient of the mean loss over all targets of the N micro-batches.
     *
     * @param batch sequences with at least one target position
     * @return loss, targets, learning rate, timing, the task's metrics; {@code skipped} if the loss
     *     or gradient was not finite (then nothing was updated, and with accumulation the whole group
     *     is dropped)
     * @throws IllegalArgumentException if the batch does not fit the model or has no target
     */
    public StepResult step(PackedBatch batch) {
        long started = System.nanoTime();
        PaddedSequences.checkFits(batch, config);
        Task.Step taskStep = training.prepare(batch);
        int targets = taskStep.targets();
        model.noteItems(batch);
        long next = stepCount + 1;
        float learningRate = schedule.at(next);
        int accumulation = config.optimizer().gradientAccumulationSteps();
        long stepSeed = pendingMicroBatches == 0
                ? mix(config.runtime().seed(), next)
                : mix(mix(config.runtime().seed(), next), pendingMicroBatches);
        float itemIdDropout = idDropout.rateAt(stepCount);
        // dropout masks come from the engine's global generator
        model.manager().getEngine().setRandomSeed((int) stepSeed);

        Autograd.disableOnThisThread();
        float lossValue;
        float gradNorm = Float.NaN;
        boolean skipped = false;
        boolean overflow = false;
        float lossScale = lossScaler.scale();
        Map<String, Float> metrics = Map.of();
        try (NDScope ignored = new NDScope()) {
            NDManager manager = model.manager();
            PaddedSequences padded = PaddedSequences.of(batch, config, manager);
            Task.Loss result;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray out = model.forward(padded, true, itemIdDropout);
                result = taskStep.loss(model, out, new SplittableRandom(stepSeed));
                NDArray stepLoss = result.value();
                lossValue = stepLoss.toType(DataType.FLOAT32, false).getFloat();
                if (Float.isFinite(lossValue)) {
                    // With accumulation, sum the losses (mean x targets) and divide the summed
                    // gradient by all targets of the group at update time; with float16 compute,
                    // also scale by the loss scale and divide it out of the gradient.
                    double factor = (accumulation == 1 ? 1.0 : targets) * lossScale;
                    collector.backward(factor == 1.0 ? stepLoss : ScalarOps.scale(stepLoss, factor));
                }
            }
            if (Float.isFinite(lossValue)) {
                result.finite();
            }
            metrics = read(result.metrics());
            pendingMicroBatches++;
            pendingTargets += targets;
            if (!Float.isFinite(lossValue)) {
                skipped = true;
            } else if (pendingMicroBatches >= accumulation) {
                float gradScale = (accumulation == 1 ? 1f : 1f / pendingTargets) / lossScale;
                gradNorm = optimizer.gradientNorm() * gradScale;
                skipped = !Float.isFinite(gradNorm);
                overflow = skipped && lossScaler.enabled();
                if (!skipped) {
                    optimizer.update(next, learningRate, gradNorm, gradScale);
                }
            }
            if (skipped) {
                optimizer.discardGradients();
            }
            model.parametersUpdated();
        }
        Autograd.disableOnThisThread();
        if (overflow) {
            lossScaler.overflowed();
            pendingMicroBatches = 0;
            pendingTargets = 0;
        } else if (skipped) {
            skippedSteps++;
            pendingMicroBatches = 0;
            pendingTargets = 0;
        } else if (pendingMicroBatches >= accumulation) {
            lossScaler.applied();
            stepCount = next;
            pendingMicroBatches = 0;
            pendingTargets = 0;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new StepResult(
                stepCount, lossValue, targets, learningRate, millis, skipped, gradNorm, overflow, metrics);
    }

    private static Map<String, Float> read(Map<String, NDArray> metrics) {
        if (metrics.isEmpty()) {
            return Map.of();
        }
        Map<String, Float> values = new LinkedHashMap<>();
        metrics.forEach((name, value) ->
                values.put(name, value.toType(DataType.FLOAT32, false).getFloat()));
        return values;
    }

    private static long mix(long seed, long step) {
        long z = seed + step * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return updates applied so far */
    public long stepCount() {
        return stepCount;
    }

    /** @return steps rejected because the loss or gradient was not finite (float16 overflows not included) */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** @return the current loss scale (1 without {@code mixedPrecision}) */
    public float lossScale() {
        return lossScaler.scale();
    }

    /** @return the cached hard negatives, oldest first; empty without {@code hardNegativeCacheSize} */
    public long[] cachedHardNegatives() {
        long[] cached = training.state().hardNegatives();
        return cached == null ? new long[0] : cached;
    }

    /** @return the item-ID dropout rate the next step trains with */
    public float itemIdDropoutRate() {
        return idDropout.rateAt(stepCount);
    }

    /** @return the model being trained */
    public HstuModel model() {
        return model;
    }

    @Override
    public void close() {
        optimizer.close();
        if (ownsModel) {
            model.close();
        }
    }

    /**
     * Trainer counters saved with a checkpoint.
     *
     * @param recentTargets the popularity window, oldest first; null without popularity sampling or
     *     a rank package (and in checkpoints written before it existed)
     * @param lossScale the float16 loss scale; null without {@code mixedPrecision}
     * @param lossScaleGoodSteps good steps since the loss scale last changed
     * @param hardNegatives the hard-negative cache, oldest first; null without one (and then not
     *     written, so checkpoints of trainers without it stay as they were)
     */
    record TrainerState(
            int formatVersion,
            long stepCount,
            long skippedSteps,
            long[] recentTargets,
            Float lossScale,
            int lossScaleGoodSteps,
            @JsonInclude(JsonInclude.Include.NON_NULL) long[] hardNegatives) {}
}
