package dev.hstu.jobs.replay;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.FlinkRuntime;
import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.batch.MicroBatchSerializer;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonLinesFileSink;
import dev.hstu.sink.KafkaSinks;
import java.nio.file.Path;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Offline training by replaying history through the training job: the {@link ReplaySource} in place of the Kafka
 * source, the same graph after it. Dead letters and model manifests go to JSON Lines files under the output
 * directory (there may be no broker offline); with {@code training.mode: topic} the micro-batches still go to the
 * configured training-batches topic, for a standalone trainer.
 */
public final class ReplayJob {

    /** Files under the output directory. */
    public static final String DEAD_LETTERS = "dead-letters";

    public static final String MODEL_UPDATES = "model-updates";

    private ReplayJob() {}

    /**
     * @param batch BATCH execution: keyed work runs key by key after sorting, so a user's sequences still see their
     *              events in time order, but the trainer receives them grouped by user, not interleaved in time;
     *              STREAMING keeps the live order
     */
    public static StreamExecutionEnvironment build(
            JobConfig config, ReplayLog log, Path outputDir, double speed, boolean batch) {
        if (batch && config.ctr().enabled()) {
            // The CTR population flushes on processing time and at the end of input, which BATCH execution,
            // finishing key by key, does not give; the features would use a partial population.
            throw new IllegalArgumentException("ctr.enabled needs streaming execution: replay with "
                    + "--execution-mode streaming (the default) or set ctr.enabled=false");
        }
        StreamExecutionEnvironment env = FlinkRuntime.environment(config.flink());
        env.setRuntimeMode(batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        DataStream<RawRecord> raw = ReplaySource.of(env, log, speed);
        String out = outputDir.toAbsolutePath().toString();
        var deadLetters = JsonLinesFileSink.of(out + "/" + DEAD_LETTERS, DEAD_LETTERS, DeadLetter.class);
        if (config.training().viaTopic()) {
            var kafka = config.kafka();
            TrainingJob.assembleForTopic(
                    config,
                    raw,
                    deadLetters,
                    KafkaSinks.of(
                            kafka.bootstrapServers(),
                            kafka.sinkProperties(),
                            new MicroBatchSerializer(kafka.trainingBatchesTopic()),
                            KafkaSinks.parseGuarantee(kafka.deliveryGuarantee()),
                            kafka.transactionalIdPrefix() + "-replay-batches"));
        } else {
            TrainingJob.assemble(
                    config,
                    raw,
                    deadLetters,
                    JsonLinesFileSink.of(out + "/" + MODEL_UPDATES, MODEL_UPDATES, ModelVersion.class));
        }
        return env;
    }
}
