package dev.hstu.jobs.cli;

import dev.hstu.ctr.cli.CtrCommand;
import dev.hstu.model.cli.EvalCommand;
import dev.hstu.model.cli.ExportCommand;
import dev.hstu.model.cli.PredictCommand;
import dev.hstu.model.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hstu} command line. */
@Command(
        name = "hstu",
        mixinStandardHelpOptions = true,
        version = "hstu 0.1.0",
        description = "Streaming HSTU recommender on Apache Flink and Kafka.",
        subcommands = {
            DemoCommand.class,
            TrainingJobCommand.class,
            ServingJobCommand.class,
            TrainerCommand.class,
            ProduceCommand.class,
            ReplayCommand.class,
            ConvertMovieLensCommand.class,
            CtrCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            ExportCommand.class,
            PredictCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Hstu implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with a handler that prints configuration errors as one clear message, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Hstu());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
