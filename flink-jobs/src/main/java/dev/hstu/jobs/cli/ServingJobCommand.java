package dev.hstu.jobs.cli;

import dev.hstu.jobs.ServingJob;
import dev.hstu.jobs.config.JobConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "serving-job",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the serving job (interactions + model versions -> top-K -> recommendations).",
            "Runs the serving job: interactions + model-updates topics -> per-user sequence state -> top-K",
            "and query embedding with the newest model version -> recommendations and query-embeddings topics",
            "(created if missing), and files when serving.filesDir / serving.embeddingsDir are set."
        })
public final class ServingJobCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        JobConfig config = options.load();
        TrainingJobCommand.requireExternalKafka(config);
        ServingJob.kafkaJob(config).execute("HSTU serving");
        return 0;
    }
}
