package dev.hstu.jobs.cli;

import dev.hstu.jobs.TrainingJob;
import dev.hstu.jobs.config.JobConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "training-job",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the training job (interactions -> sequence state -> HSTU trainer -> model versions).",
            "Runs the training job: interactions topic -> validation (dead letters) -> sequence state ->",
            "HSTU trainer -> model versions + model-updates topic. Submitted with 'flink run' it runs on that",
            "cluster; run directly it runs on a local MiniCluster."
        })
public final class TrainingJobCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--bounded", description = "Stop at the topic's current end instead of running forever.")
    boolean bounded;

    @Override
    public Integer call() throws Exception {
        JobConfig config = options.load();
        requireExternalKafka(config);
        TrainingJob.kafkaJob(config, bounded).execute("HSTU training");
        return 0;
    }

    static void requireExternalKafka(JobConfig config) {
        if (config.kafka().embedded()) {
            throw new IllegalArgumentException("kafka.bootstrapServers is 'embedded', which only 'hstu demo' starts; "
                    + "point it at a broker, e.g. --set kafka.bootstrapServers=localhost:9092");
        }
    }
}
