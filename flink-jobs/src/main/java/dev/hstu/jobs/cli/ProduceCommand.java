package dev.hstu.jobs.cli;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.demo.RatingsLog;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = "Writes a MovieLens ratings CSV to the interactions topic as JSON events, in time order.")
public final class ProduceCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--ratings", paramLabel = "CSV", description = "Ratings file. Default: demo.ratingsCsv")
    Path ratings;

    @Option(names = "--create-topics", description = "Create the project's topics first (replication factor 1).")
    boolean createTopics;

    @Override
    public Integer call() {
        JobConfig config = options.load();
        TrainingJobCommand.requireExternalKafka(config);
        var kafka = config.kafka();
        if (createTopics) {
            Topics.create(
                    kafka,
                    kafka.partitions(),
                    kafka.interactionsTopic(),
                    kafka.deadLetterTopic(),
                    kafka.recommendationsTopic(),
                    kafka.queryEmbeddingsTopic());
            Topics.create(kafka, 1, kafka.modelUpdatesTopic(), kafka.trainingBatchesTopic());
        }
        RatingsLog log = RatingsLog.read(
                ratings != null ? ratings : Path.of(config.demo().ratingsCsv()));
        MovieLensActions actions = MovieLensActions.clickAtOrAbove(config.demo().clickRating());
        try (EventProducer producer = new EventProducer(kafka, kafka.interactionsTopic())) {
            StringBuilder json = new StringBuilder(128);
            for (int i = 0; i < log.size(); i++) {
                producer.send(Long.toString(log.users[i]), log.eventJson(i, actions, json), log.timestampsMs[i]);
            }
            producer.flush();
        }
        System.out.printf(
                "%,d events written to %s at %s%n", log.size(), kafka.interactionsTopic(), kafka.bootstrapServers());
        return 0;
    }
}
