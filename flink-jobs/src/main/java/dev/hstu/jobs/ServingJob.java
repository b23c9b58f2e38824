package dev.hstu.jobs;

import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.event.EventRules;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.event.ParseEventsFunction;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.kafka.KafkaSources;
import dev.hstu.jobs.serve.ParseModelVersionFunction;
import dev.hstu.jobs.serve.ServingFunction;
import dev.hstu.jobs.train.ModelVersion;
import dev.hstu.sink.JsonLinesFileSink;
import dev.hstu.sink.KafkaSinks;
import dev.hstu.sink.Recommendation;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The serving job: interactions -> per-user sequence state -> top-K with the newest model version, which arrives
 * as a manifest on model-updates and is broadcast to every subtask.
 *
 * <p>It validates events with the same rules as the training job but leaves dead-lettering to that job: both read
 * the same topic, and one dead letter per bad record is the contract.
 */
public final class ServingJob {

    private ServingJob() {}

    /** Assembles the graph between injected sources and an injected sink. */
    public static void assemble(
            JobConfig config,
            DataStream<RawRecord> interactions,
            DataStream<RawRecord> modelUpdates,
            Sink<Recommendation> recommendations) {
        DataStream<InteractionEvent> events = interactions
                .process(new ParseEventsFunction(EventRules.from(config.validation())))
                .name("Parse and validate events").uid("parse-events");

        BroadcastStream<ModelVersion> models = modelUpdates
                .flatMap(new ParseModelVersionFunction()).name("Model manifests").uid("model-manifests")
                .setParallelism(1)
                .broadcast(ServingFunction.MODEL_STATE);

        DataStream<Recommendation> lists = events.keyBy(InteractionEvent::userId)
                .connect(models)
                .process(new ServingFunction(config.serving(), config.sequence().maxLength(),
                        TrainingJob.ttl(config)))
                .name("Score users").uid("score-users");
        lists.sinkTo(recommendations).name("Recommendations").uid("recommendations-sink");
        if (config.serving().filesDir() != null) {
            lists.sinkTo(JsonLinesFileSink.of(config.serving().filesDir(), "recommendations", Recommendation.class))
                    .name("Recommendation files").uid("recommendation-files");
        }
    }

    /** Builds the job against Kafka, as configured. */
    public static StreamExecutionEnvironment kafkaJob(JobConfig config) {
        StreamExecutionEnvironment env = FlinkRuntime.environment(config.flink());
        var kafka = config.kafka();
        DataStream<RawRecord> raw = env.fromSource(KafkaSources.interactions(kafka, "serving", false),
                WatermarkStrategy.noWatermarks(), "Interactions").uid("interactions-source");
        DataStream<RawRecord> updates = env.fromSource(KafkaSources.modelUpdates(kafka, "serving-models"),
                WatermarkStrategy.noWatermarks(), "Model updates").uid("model-updates-source").setParallelism(1);
        assemble(config, raw, updates,
                KafkaSinks.json(kafka.bootstrapServers(), kafka.recommendationsTopic(), Recommendation.class,
                        r -> Long.toUnsignedString(r.userId()), KafkaSinks.parseGuarantee(kafka.deliveryGuarantee()),
                        kafka.groupIdPrefix() + "-serving-recs"));
        return env;
    }
}
