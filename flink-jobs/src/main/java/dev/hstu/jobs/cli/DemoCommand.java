package dev.hstu.jobs.cli;

import dev.hstu.jobs.demo.DemoRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole path on this machine (embedded Kafka + Flink MiniCluster + RocksDB) over MovieLens.",
            "Runs the whole path on this machine: an in-process Kafka broker and Flink MiniCluster (RocksDB),",
            "the bundled MovieLens log streamed into Kafka, the training and serving jobs, and a leave-one-out",
            "evaluation of the recommendations that come out of Kafka."
        })
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        DemoRunner.Summary summary = new DemoRunner(System.out).run(options.load());
        return summary.complete() ? 0 : 3;
    }
}
