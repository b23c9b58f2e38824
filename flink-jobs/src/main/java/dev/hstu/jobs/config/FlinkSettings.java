package dev.hstu.jobs.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Flink runtime settings applied by the jobs themselves (so the embedded default and a cluster behave alike).
 *
 * @param checkpointDir a URI or path; RocksDB's incremental checkpoints go there
 * @param localBindAddress the interface a MiniCluster started by this process (demo, replay, a job command run
 *                         without a cluster) binds its REST, blob, RPC and data ports to: loopback by default,
 *                         since anyone who reaches the REST port can submit code to run; a job submitted to a
 *                         cluster leaves that cluster's addresses alone
 */
public record FlinkSettings(
        @JsonProperty("parallelism") Integer parallelism,
        @JsonProperty("checkpointIntervalMs") Long checkpointIntervalMs,
        @JsonProperty("checkpointDir") String checkpointDir,
        @JsonProperty("stateBackend") String stateBackend,
        @JsonProperty("stateTtlHours") Long stateTtlHours,
        @JsonProperty("webUi") Boolean webUi,
        @JsonProperty("localBindAddress") String localBindAddress)
        implements Serializable {

    public static final String LOOPBACK = "127.0.0.1";

    public FlinkSettings {
        parallelism = Objects.requireNonNullElse(parallelism, 2);
        checkpointIntervalMs = Objects.requireNonNullElse(checkpointIntervalMs, 5_000L);
        checkpointDir = Objects.requireNonNullElse(checkpointDir, "target/hstu/checkpoints");
        stateBackend = Objects.requireNonNullElse(stateBackend, "rocksdb");
        stateTtlHours = Objects.requireNonNullElse(stateTtlHours, 24L * 90);
        webUi = Objects.requireNonNullElse(webUi, false);
        localBindAddress = Objects.requireNonNullElse(localBindAddress, LOOPBACK);
    }

    /** The same settings with checkpoints under {@code dir}. */
    public FlinkSettings withCheckpointDir(String dir) {
        return new FlinkSettings(
                parallelism, checkpointIntervalMs, dir, stateBackend, stateTtlHours, webUi, localBindAddress);
    }

    public static FlinkSettings defaults() {
        return new FlinkSettings(null, null, null, null, null, null, null);
    }

    void check(List<String> problems) {
        JobConfig.require(problems, parallelism > 0, "flink.parallelism must be > 0, got " + parallelism);
        JobConfig.require(
                problems,
                checkpointIntervalMs >= 100,
                "flink.checkpointIntervalMs must be >= 100, got " + checkpointIntervalMs);
        JobConfig.require(
                problems,
                stateBackend.equals("rocksdb") || stateBackend.equals("hashmap"),
                "flink.stateBackend must be rocksdb or hashmap, got '" + stateBackend + "'");
        JobConfig.require(problems, stateTtlHours > 0, "flink.stateTtlHours must be > 0, got " + stateTtlHours);
        JobConfig.require(
                problems,
                localBindAddress.matches("[0-9A-Za-z.:\\-]+"),
                "flink.localBindAddress must be an IP address or host name, got '" + localBindAddress + "'");
    }
}
