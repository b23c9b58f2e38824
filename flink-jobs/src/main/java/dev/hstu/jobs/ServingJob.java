package dev.hstu.jobs;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.ctr.CtrStage;
import dev.hstu.jobs.event.EventRules;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.event.ParseEventsFunction;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.jobs.kafka.KafkaSources;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.jobs.serve.ModelSource;
import dev.hstu.jobs.serve.ParseModelVersionFunction;
import dev.hstu.jobs.serve.ServingFunction;
import dev.hstu.jobs.serve.ServingOperator;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.EmbeddingFileSink;
import dev.hstu.sink.JsonLinesFileSink;
import dev.hstu.sink.KafkaSinks;
import dev.hstu.sink.QueryEmbedding;
import dev.hstu.sink.Recommendation;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The serving job: interactions -> per-user sequence state -> top-K lists and query embeddings with the newest model
 * version, which arrives as a manifest on model-updates and is broadcast to every subtask. Lists go to the
 * recommendations topic, embeddings to the query-embeddings topic, and optionally both to files.
 *
 * <p>It validates events with the same rules as the training job but leaves dead-lettering them to that job: both
 * read the same topic, and one dead letter per bad record is the contract. Its own dead letters are for users the
 * served model refuses to score ({@link ServingFunction#UNSCORABLE}).
 */
public final class ServingJob {

    private ServingJob() {}

    /** Assembles the graph between injected sources and injected sinks. */
    public static void assemble(
            JobConfig config,
            DataStream<RawRecord> interactions,
            DataStream<RawRecord> modelUpdates,
            Sink<Recommendation> recommendations,
            Sink<QueryEmbedding> queryEmbeddings,
            Sink<DeadLetter> deadLetters) {
        DataStream<InteractionEvent> events = interactions
                .process(new ParseEventsFunction(EventRules.from(
                        config.validation(), config.model().features().userFeatureSlots() > 0)))
                .name("Parse and validate events")
                .uid("parse-events");
        // The same CTR channels as the training job's (its own state, from the same topic); CTR rejections are
        // counted here and dead-lettered by the training job, like parse failures.
        KeyedStream<InteractionEvent, Long> byUser = config.ctr().enabled()
                ? CtrStage.attach(events, config.ctrConfig(), config.ctr().populationFlushMs())
                        .keyedByUser()
                : events.keyBy(InteractionEvent::userId);

        DataStream<ModelVersion> models = modelUpdates
                .flatMap(new ParseModelVersionFunction())
                .name("Model manifests")
                .uid("model-manifests")
                .setParallelism(1)
                .broadcast();

        // A keyed stream connected to a broadcast one, run by the keyed-broadcast operator that also polls the
        // background model loads (what BroadcastConnectedStream.process would build, without that poll).
        SingleOutputStreamOperator<Recommendation> lists = byUser.connect(models)
                .transform(
                        "Score users",
                        TypeInformation.of(Recommendation.class),
                        new ServingOperator(new ServingFunction(
                                config.serving(),
                                config.sequence().maxLength(),
                                TrainingJob.ttl(config),
                                ModelSource.files(
                                        config.model().runtime().device(),
                                        config.ctr().channels(),
                                        config.model().features().userFeatureSlots() > 0,
                                        config.features()),
                                config.kafka().deadLetterMaxBytes())))
                .uid("score-users");
        DataStream<QueryEmbedding> embeddings = lists.getSideOutput(ServingFunction.QUERY_EMBEDDINGS);
        lists.sinkTo(recommendations).name("Recommendations").uid("recommendations-sink");
        embeddings.sinkTo(queryEmbeddings).name("Query embeddings").uid("query-embeddings-sink");
        lists.getSideOutput(ServingFunction.UNSCORABLE)
                .sinkTo(deadLetters)
                .name("Unscorable users")
                .uid("serving-dead-letter-sink");
        if (config.serving().filesDir() != null) {
            lists.sinkTo(JsonLinesFileSink.of(config.serving().filesDir(), "recommendations", Recommendation.class))
                    .name("Recommendation files")
                    .uid("recommendation-files");
        }
        if (config.serving().embeddingsDir() != null) {
            embeddings
                    .sinkTo(EmbeddingFileSink.of(config.serving().embeddingsDir()))
                    .name("Query embedding files")
                    .uid("query-embedding-files");
        }
    }

    /** Builds the job against Kafka, as configured. */
    public static StreamExecutionEnvironment kafkaJob(JobConfig config) {
        StreamExecutionEnvironment env = FlinkRuntime.environment(config.flink());
        var kafka = config.kafka();
        DataStream<RawRecord> raw = env.fromSource(
                        KafkaSources.interactions(kafka, "serving", false),
                        WatermarkStrategy.noWatermarks(),
                        "Interactions")
                .uid("interactions-source");
        DataStream<RawRecord> updates = env.fromSource(
                        KafkaSources.modelUpdates(kafka, "serving-models"),
                        WatermarkStrategy.noWatermarks(),
                        "Model updates")
                .uid("model-updates-source")
                .setParallelism(1);
        // Deployments set up before the query-embeddings topic existed would otherwise fail at the first write.
        Topics.createMissing(
                kafka,
                kafka.partitions(),
                kafka.recommendationsTopic(),
                kafka.queryEmbeddingsTopic(),
                kafka.deadLetterTopic());
        DeliveryGuarantee guarantee = KafkaSinks.parseGuarantee(kafka.deliveryGuarantee());
        assemble(
                config,
                raw,
                updates,
                KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.sinkProperties(),
                        kafka.recommendationsTopic(),
                        Recommendation.class,
                        r -> Long.toUnsignedString(r.userId()),
                        guarantee,
                        kafka.transactionalIdPrefix() + "-serving-recs"),
                KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.sinkProperties(),
                        kafka.queryEmbeddingsTopic(),
                        QueryEmbedding.class,
                        e -> Long.toUnsignedString(e.userId()),
                        guarantee,
                        kafka.transactionalIdPrefix() + "-serving-embeddings"),
                KafkaSinks.json(
                        kafka.bootstrapServers(),
                        kafka.sinkProperties(),
                        kafka.deadLetterTopic(),
                        DeadLetter.class,
                        null,
                        guarantee,
                        kafka.transactionalIdPrefix() + "-serving-dlq"));
        return env;
    }
}
