package dev.hstu.jobs;

import dev.hstu.jobs.config.FlinkSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Applies {@link FlinkSettings} the same way on the embedded MiniCluster and on a real cluster. */
public final class FlinkRuntime {

    private FlinkRuntime() {}

    /** The cluster-level configuration: state backend and checkpoint storage. */
    public static Configuration configuration(FlinkSettings settings) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, settings.stateBackend());
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointUri(settings.checkpointDir()));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(settings.checkpointIntervalMs()));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        if (!settings.webUi()) {
            conf.set(RestOptions.BIND_PORT, "0");
        }
        return conf;
    }

    /** An environment for one job: the cluster's when submitted to one, a local MiniCluster otherwise. */
    public static StreamExecutionEnvironment environment(FlinkSettings settings) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(settings));
        env.setParallelism(settings.parallelism());
        return env;
    }

    private static String checkpointUri(String dir) {
        return dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
    }
}
