package dev.hstu.jobs.batch;

import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.data.MicroBatch;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Packs training sequences into micro-batches of {@code batchSize} sequences, or fewer when {@code maxDelayMs} has
 * passed since the batch's first sequence, at the end of a bounded input, and just before every checkpoint barrier.
 * Flushing before the barrier means no half-built batch ever needs to be in a checkpoint: every sequence before
 * the barrier is in a batch emitted before it.
 */
public final class MicroBatchPackerOperator extends AbstractStreamOperator<MicroBatch>
        implements OneInputStreamOperator<TrainingSequence, MicroBatch>, BoundedOneInput, ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final long maxDelayMs;
    private final int maxLength;
    private final int featureDim;
    private final int userFeatureSlots;
    private transient MicroBatchBuilder builder;
    private transient boolean timerPending;
    private transient Counter batches;

    public MicroBatchPackerOperator(int batchSize, long maxDelayMs, int maxLength) {
        this(batchSize, maxDelayMs, maxLength, 0);
    }

    /** @param featureDim dense features per event in the batches (the job's CTR channels; 0 for none) */
    public MicroBatchPackerOperator(int batchSize, long maxDelayMs, int maxLength, int featureDim) {
        this(batchSize, maxDelayMs, maxLength, featureDim, 0);
    }

    /** @param userFeatureSlots user-feature keys per sequence in the batches ({@code model.features.userFeatures.slots}) */
    public MicroBatchPackerOperator(
            int batchSize, long maxDelayMs, int maxLength, int featureDim, int userFeatureSlots) {
        this.batchSize = batchSize;
        this.maxDelayMs = maxDelayMs;
        this.maxLength = maxLength;
        this.featureDim = featureDim;
        this.userFeatureSlots = userFeatureSlots;
    }

    @Override
    public void open() throws Exception {
        super.open();
        builder = new MicroBatchBuilder(featureDim, userFeatureSlots);
        batches = getMetricGroup().counter("microBatches");
        getMetricGroup().gauge("truncatedUserFeatures", () -> builder.truncatedUserFeatures());
    }

    @Override
    public void processElement(StreamRecord<TrainingSequence> element) {
        if (builder.isEmpty() && !timerPending) {
            timerPending = true;
            getProcessingTimeService()
                    .registerTimer(getProcessingTimeService().getCurrentProcessingTime() + maxDelayMs, this);
        }
        builder.add(element.getValue(), maxLength);
        if (builder.size() >= batchSize) {
            flush();
        }
    }

    @Override
    public void onProcessingTime(long time) {
        timerPending = false;
        flush();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void endInput() {
        flush();
    }

    private void flush() {
        if (builder.isEmpty()) {
            return;
        }
        output.collect(
                new StreamRecord<>(builder.build(getProcessingTimeService().getCurrentProcessingTime())));
        batches.inc();
    }
}
