package dev.hstu.jobs.cli;

import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.train.StandaloneTrainer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "trainer",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the standalone HSTU trainer on the training-batches topic (training.mode=topic), e.g. on a GPU host.",
            "Resumes from the newest version in training.modelDir (weights, optimiser state, topic offsets);",
            "publishes versions there and on the model-updates topic."
        })
public final class TrainerCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(
            names = "--idle-exit-seconds",
            defaultValue = "0",
            description =
                    "Stop after this many seconds without a batch (0 = run until stopped). Default: ${DEFAULT-VALUE}")
    long idleExitSeconds;

    @Override
    public Integer call() throws Exception {
        JobConfig config = options.load();
        TrainingJobCommand.requireExternalKafka(config);
        try (StandaloneTrainer trainer = new StandaloneTrainer(config)) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(
                    () -> {
                        trainer.stop();
                        try {
                            main.join(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "hstu-trainer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            long batches = trainer.run(Duration.ofSeconds(idleExitSeconds));
            System.out.printf(
                    "trained %,d batches (%,d unreadable, sent to %s); now at step %d%n",
                    batches,
                    trainer.deadLetters(),
                    config.kafka().deadLetterTopic(),
                    trainer.trainer().stepCount());
            return 0;
        }
    }
}
