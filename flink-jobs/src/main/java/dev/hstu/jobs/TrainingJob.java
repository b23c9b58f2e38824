package dev.hstu.jobs;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.batch.MicroBatchPackerOperator;
import dev.hstu.jobs.batch.MicroBatchSerializer;
import dev.hstu.jobs.batch.MicroBatchTypeInfo;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.ctr.CtrDeadLetters;
import dev.hstu.jobs.ctr.CtrStage;
import dev.hstu.jobs.event.EventRules;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.event.ParseEventsFunction;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.kafka.KafkaSources;
import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.jobs.sequence.TrainingSequenceFunction;
import dev.hstu.jobs.train.TrainerOperator;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.KafkaSinks;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.common.TopicPartition;

/**
 * The training job: interactions -> parse and validate (bad records to the dead-letter sink) -> per-user sequence
 * state in RocksDB -> training sequences -> HSTU trainer -> model versions (files + manifests on model-updates).
 */
public final class TrainingJob {

    private TrainingJob() {}

    /** Assembles the graph between an injected source of raw records and injected sinks. */
    public static void assemble(
            JobConfig config,
            DataStream<RawRecord> interactions,
            Sink<DeadLetter> deadLetters,
            Sink<ModelVersion> modelUpdates) {
        Front front = front(config, interactions);
        SingleOutputStreamOperator<ModelVersion> versions = front.sequences()
                .transform(
                        "HSTU trainer",
                        TypeInformation.of(ModelVersion.class),
                        new TrainerOperator(
                                config.model(),
                                config.training(),
                                config.sequence().maxLength(),
                                config.features(),
                                config.kafka().deadLetterMaxBytes()))
                .uid("hstu-trainer")
                .setParallelism(1)
                .setMaxParallelism(1);
        // one dead-letter sink per job (its transactional ids are per sink): the trainer's join the parser's
        attachDeadLetters(front.rejected().union(versions.getSideOutput(TrainerOperator.DEAD_LETTERS)), deadLetters);
        versions.sinkTo(modelUpdates)
                .name("Model updates")
                .uid("model-updates-sink")
                .setParallelism(1);
    }

    /**
     * The same front half, handing training to a standalone trainer: sequences are packed into micro-batches
     * (see {@link MicroBatchPackerOperator}) and written to {@code trainingBatches}.
     */
    public static void assembleForTopic(
            JobConfig config,
            DataStream<RawRecord> interactions,
            Sink<DeadLetter> deadLetters,
            Sink<MicroBatch> trainingBatches) {
        sequences(config, interactions, deadLetters)
                .transform(
                        "Pack micro-batches",
                        new MicroBatchTypeInfo(),
                        new MicroBatchPackerOperator(
                                config.training().batchSize(),
                                config.training().batchMaxDelayMs(),
                                config.sequence().maxLength(),
                                config.ctr().channels(),
                                config.model().features().userFeatureSlots()))
                .uid("pack-micro-batches")
                .sinkTo(trainingBatches)
                .name("Training batches")
                .uid("training-batches-sink");
    }

    /**
     * Parse and validate (bad records to the dead-letter sink), attach the CTR channels when {@code ctr.enabled},
     * then per-user sequence state -> sequences: the front half both training modes and the replay share.
     */
    public static DataStream<TrainingSequence> sequences(
            JobConfig config, DataStream<RawRecord> interactions, Sink<DeadLetter> deadLetters) {
        Front front = front(config, interactions);
        attachDeadLetters(front.rejected(), deadLetters);
        return front.sequences();
    }

    /** The training sequences and the records rejected on the way, before any sink. */
    private record Front(DataStream<TrainingSequence> sequences, DataStream<DeadLetter> rejected) {}

    private static void attachDeadLetters(DataStream<DeadLetter> rejected, Sink<DeadLetter> deadLetters) {
        rejected.sinkTo(deadLetters).name("Dead letters").uid("dead-letter-sink");
    }

    private static Front front(JobConfig config, DataStream<RawRecord> interactions) {
        SingleOutputStreamOperator<InteractionEvent> events = interactions
                .process(new ParseEventsFunction(
                        EventRules.from(
                                config.validation(), config.model().features().userFeatureSlots() > 0),
                        config.kafka().deadLetterMaxBytes()))
                .name("Parse and validate events")
                .uid("parse-events");
        DataStream<DeadLetter> rejected = events.getSideOutput(ParseEventsFunction.DEAD_LETTERS);
        KeyedStream<InteractionEvent, Long> byUser;
        if (config.ctr().enabled()) {
            CtrStage ctr =
                    CtrStage.attach(events, config.ctrConfig(), config.ctr().populationFlushMs());
            int maxBytes = config.kafka().deadLetterMaxBytes();
            rejected = rejected.union(ctr.rejected()
                    .map(r -> CtrDeadLetters.of(r, maxBytes))
                    .returns(DeadLetter.class)
                    .name("CTR rejections")
                    .uid("ctr-dead-letters"));
            byUser = ctr.keyedByUser();
        } else {
            byUser = events.keyBy(InteractionEvent::userId);
        }
        DataStream<TrainingSequence> sequences = byUser.process(new TrainingSequenceFunction(
                        config.sequence().maxLength(), config.sequence().trainingStride(), ttl(config)))
                .name("User sequences")
                .uid("user-sequences");
        return new Front(sequences, rejected);
    }

    /** Builds the job against Kafka, as configured. */
    public static StreamExecutionEnvironment kafkaJob(JobConfig config, boolean boundedInput) {
        return kafkaJob(config, boundedInput, true);
    }

    /**
     * Builds the job against Kafka.
     *
     * @param writeDeadLetters false for a replay of records that an earlier run already dead-lettered: one dead
     *                         letter per bad record is the contract, so a replay counts them but does not repeat them
     */
    public static StreamExecutionEnvironment kafkaJob(
            JobConfig config, boolean boundedInput, boolean writeDeadLetters) {
        return kafkaJob(config, KafkaSources.interactions(config.kafka(), "training", boundedInput), writeDeadLetters);
    }

    /**
     * Builds the job against Kafka, reading the interactions topic up to {@code stopAt} (each partition's end), also
     * where those records are still being written: one pass over a stream while it is produced.
     */
    public static StreamExecutionEnvironment kafkaJob(
            JobConfig config, Map<TopicPartition, Long> stopAt, boolean writeDeadLetters) {
        return kafkaJob(config, KafkaSources.interactions(config.kafka(), "training", stopAt), writeDeadLetters);
    }

    private static StreamExecutionEnvironment kafkaJob(
            JobConfig config, KafkaSource<RawRecord> source, boolean writeDeadLetters) {
        StreamExecutionEnvironment env = FlinkRuntime.environment(config.flink());
        var kafka = config.kafka();
        var guarantee = KafkaSinks.parseGuarantee(kafka.deliveryGuarantee());
        DataStream<RawRecord> raw = env.fromSource(
                        source,
                        WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                                .withTimestampAssigner((r, ts) -> r.kafkaTimestampMs())
                                .withIdleness(Duration.ofSeconds(30)),
                        "Interactions")
                .uid("interactions-source");
        Sink<DeadLetter> deadLetters = writeDeadLetters
                ? KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.sinkProperties(),
                        kafka.deadLetterTopic(),
                        DeadLetter.class,
                        null,
                        guarantee,
                        kafka.transactionalIdPrefix() + "-training-dlq")
                : new DiscardingSink<>();
        if (config.training().viaTopic()) {
            assembleForTopic(
                    config,
                    raw,
                    deadLetters,
                    KafkaSinks.of(
                            kafka.bootstrapServers(),
                            kafka.sinkProperties(),
                            new MicroBatchSerializer(kafka.trainingBatchesTopic()),
                            guarantee,
                            kafka.transactionalIdPrefix() + "-training-batches"));
        } else {
            assemble(
                    config,
                    raw,
                    deadLetters,
                    KafkaSinks.json(
                            kafka.bootstrapServers(),
                            kafka.sinkProperties(),
                            kafka.modelUpdatesTopic(),
                            ModelVersion.class,
                            v -> "model",
                            guarantee,
                            kafka.transactionalIdPrefix() + "-training-models"));
        }
        return env;
    }

    static Duration ttl(JobConfig config) {
        return Duration.ofHours(config.flink().stateTtlHours());
    }
}
