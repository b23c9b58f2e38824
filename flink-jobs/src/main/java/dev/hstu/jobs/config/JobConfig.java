package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.MicroBatchCodec;
import dev.hstu.model.modules.features.InputFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one configuration object of every job, loaded from a YAML file in {@code conf/} by {@link ConfigLoader}.
 * Sections that are left out take their defaults; {@link #validate()} reports every problem at once.
 */
public record JobConfig(
        @JsonProperty("kafka") KafkaSettings kafka,
        @JsonProperty("flink") FlinkSettings flink,
        @JsonProperty("sequence") SequenceSettings sequence,
        @JsonProperty("validation") ValidationSettings validation,
        @JsonProperty("model") HstuConfig model,
        @JsonProperty("training") TrainingSettings training,
        @JsonProperty("serving") ServingSettings serving,
        @JsonProperty("ctr") CtrSettings ctr,
        @JsonProperty("features") FeatureSettings features,
        @JsonProperty("demo") DemoSettings demo) {

    public JobConfig {
        kafka = Objects.requireNonNullElseGet(kafka, KafkaSettings::defaults);
        flink = Objects.requireNonNullElseGet(flink, FlinkSettings::defaults);
        sequence = Objects.requireNonNullElseGet(sequence, SequenceSettings::defaults);
        validation = Objects.requireNonNullElseGet(validation, ValidationSettings::defaults);
        model = Objects.requireNonNullElseGet(model, HstuConfig::defaults);
        training = Objects.requireNonNullElseGet(training, TrainingSettings::defaults);
        serving = Objects.requireNonNullElseGet(serving, ServingSettings::defaults);
        ctr = Objects.requireNonNullElseGet(ctr, CtrSettings::defaults);
        features = Objects.requireNonNullElseGet(features, FeatureSettings::defaults);
        demo = Objects.requireNonNullElseGet(demo, DemoSettings::defaults);
    }

    public static JobConfig defaults() {
        return new JobConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Checks every section and throws one {@link IllegalArgumentException} listing all problems, each naming the
     * setting (e.g. {@code sequence.maxLength}) and the value it had.
     */
    public JobConfig validate() {
        List<String> problems = new ArrayList<>();
        kafka.check(problems);
        flink.check(problems);
        sequence.check(problems);
        validation.check(problems);
        training.check(problems);
        require(problems, demo.trainingPasses() >= 1, "demo.trainingPasses must be >= 1, got " + demo.trainingPasses());
        require(problems, demo.streamSeconds() >= 0, "demo.streamSeconds must be >= 0, got " + demo.streamSeconds());
        require(
                problems,
                demo.warmupShare() >= 0 && demo.warmupShare() < 1,
                "demo.warmupShare must be in [0, 1), got " + demo.warmupShare());
        require(problems, demo.warmupPasses() >= 0, "demo.warmupPasses must be >= 0, got " + demo.warmupPasses());
        serving.check(problems);
        ctr.check(problems, validation.actionBits(), model.features().denseDim());
        features.check(problems, model.features().multimodalDims().keySet());
        model.check(problems);
        if (kafka.transactionTimeoutMs() < flink.checkpointIntervalMs() + KafkaSettings.TRANSACTION_MARGIN_MS) {
            // the broker would abort a transaction before the checkpoint that commits it, losing its records
            problems.add("kafka.transactionTimeoutMs (" + kafka.transactionTimeoutMs()
                    + ") must be at least flink.checkpointIntervalMs (" + flink.checkpointIntervalMs() + ") + "
                    + KafkaSettings.TRANSACTION_MARGIN_MS + " ms for the checkpoint and a restart");
        }
        int numActions = model.features().actions().numActions();
        if (validation.actionBits() >= 1
                && validation.actionBits() <= 30
                && (1L << validation.actionBits()) > numActions) {
            // the parser would accept actions the model has no row for, and every batch with one would be refused
            problems.add("validation.actionBits (" + validation.actionBits() + ") accepts actions up to "
                    + ((1L << validation.actionBits()) - 1) + ", but model.features.actions.numActions (" + numActions
                    + ") covers only [0, " + (numActions - 1) + "]: lower the one or raise the other");
        }
        if (sequence.maxLength() > model.encoder().maxSeqLen()) {
            problems.add("sequence.maxLength (" + sequence.maxLength() + ") must not exceed model.encoder.maxSeqLen ("
                    + model.encoder().maxSeqLen() + ")");
        }
        if (training.viaTopic() && problems.isEmpty()) {
            checkMicroBatchFits(problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
        return this;
    }

    /** A copy with other Kafka settings. */
    public JobConfig withKafka(KafkaSettings k) {
        return new JobConfig(k, flink, sequence, validation, model, training, serving, ctr, features, demo);
    }

    /** A copy with other serving settings. */
    public JobConfig withServing(ServingSettings s) {
        return new JobConfig(kafka, flink, sequence, validation, model, training, s, ctr, features, demo);
    }

    /** A copy with other CTR settings and model configuration (the two must agree on the dense features). */
    public JobConfig withCtr(CtrSettings c, HstuConfig m) {
        return new JobConfig(kafka, flink, sequence, validation, m, training, serving, c, features, demo);
    }

    /** A copy with another model configuration. */
    public JobConfig withModel(HstuConfig m) {
        return new JobConfig(kafka, flink, sequence, validation, m, training, serving, ctr, features, demo);
    }

    /** The CTR definition of these settings. */
    public CtrConfig ctrConfig() {
        return ctr.toCtrConfig(validation.actionBits(), Duration.ofHours(flink.stateTtlHours()));
    }

    /** A copy with other Flink and training settings. */
    public JobConfig withFlinkAndTraining(FlinkSettings f, TrainingSettings t) {
        return new JobConfig(kafka, f, sequence, validation, model, t, serving, ctr, features, demo);
    }

    /** A copy with other feature files. */
    public JobConfig withFeatures(FeatureSettings f) {
        return new JobConfig(kafka, flink, sequence, validation, model, training, serving, ctr, f, demo);
    }

    /**
     * A full micro-batch must fit one producer request: a larger one would fail the training job's Kafka sink on its
     * first full batch and restart it into the same batch. Checked only once the rest is valid, since the columns come
     * from the model's configuration.
     */
    private void checkMicroBatchFits(List<String> problems) {
        long largest = MicroBatchCodec.largestEncoding(
                training.batchSize(), sequence.maxLength(), InputFeatures.columns(model));
        long limit = kafka.producerMaxRequestSize();
        if (largest + KafkaSettings.RECORD_OVERHEAD_BYTES > limit) {
            problems.add("training.mode=topic: a micro-batch of training.batchSize (" + training.batchSize()
                    + ") sequences of sequence.maxLength (" + sequence.maxLength() + ") events is up to " + largest
                    + " bytes, more than the producer's max.request.size (" + limit + ") less "
                    + KafkaSettings.RECORD_OVERHEAD_BYTES + " bytes of record overhead: lower one of them, or raise"
                    + " kafka.properties.max.request.size and the broker's message.max.bytes (and the topic's"
                    + " max.message.bytes) together");
        }
    }

    static void require(List<String> problems, boolean ok, String message) {
        if (!ok) {
            problems.add(message);
        }
    }
}
