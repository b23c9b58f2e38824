package dev.hstu.jobs;

import dev.hstu.jobs.config.FlinkSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
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

    /**
     * The configuration of a MiniCluster in this process: {@link #configuration} with every listening socket (REST
     * and web UI, blob server, RPC, data exchange) on {@code flink.localBindAddress}, loopback by default. Flink
     * binds most of them to all interfaces unless told otherwise, and its REST API runs submitted jobs unasked.
     */
    public static Configuration localConfiguration(FlinkSettings settings) {
        Configuration conf = configuration(settings);
        String bind = settings.localBindAddress();
        // what clients and the cluster's own parts connect to: the bound address, unless that is a wildcard
        String connect = bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind;
        conf.set(RestOptions.BIND_ADDRESS, bind);
        conf.set(RestOptions.ADDRESS, connect);
        conf.set(JobManagerOptions.BIND_HOST, bind); // the RPC service and the blob server
        conf.set(JobManagerOptions.ADDRESS, connect);
        conf.set(TaskManagerOptions.BIND_HOST, bind); // the RPC service and the data (shuffle) server
        conf.set(TaskManagerOptions.HOST, connect);
        return conf;
    }

    /**
     * An environment for one job: the cluster's when submitted to one (whose addresses this leaves alone), else a
     * MiniCluster of its own with {@link #localConfiguration}.
     */
    public static StreamExecutionEnvironment environment(FlinkSettings settings) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(settings));
        if (env instanceof LocalStreamEnvironment) {
            env = StreamExecutionEnvironment.createLocalEnvironment(localConfiguration(settings));
        }
        env.setParallelism(settings.parallelism());
        return env;
    }

    private static String checkpointUri(String dir) {
        return dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
    }
}
