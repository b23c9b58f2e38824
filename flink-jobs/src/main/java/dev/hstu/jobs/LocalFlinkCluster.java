package dev.hstu.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.jobs.config.FlinkSettings;
import dev.hstu.sink.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A Flink MiniCluster in this JVM that several jobs share (the training and the serving job run side by side, as
 * on a real cluster), with the configured state backend and checkpointing, and a view of each job's progress
 * through the cluster's REST API.
 */
public final class LocalFlinkCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalFlinkCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Starts a cluster with {@code slots} task slots in one TaskManager, listening on {@code flink.localBindAddress}
     * only (see {@link FlinkRuntime#localConfiguration}).
     */
    public static LocalFlinkCluster start(FlinkSettings settings, int slots) throws Exception {
        Configuration conf = FlinkRuntime.localConfiguration(settings);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64L * slots));
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return new LocalFlinkCluster(cluster);
    }

    /** Submits the job built in {@code env} under {@code name} and returns at once. */
    public JobID submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        return cluster.submitJob(graph).get(1, TimeUnit.MINUTES).getJobID();
    }

    /** Waits for the job to end; throws if it failed. */
    public JobResult await(JobID job, Duration timeout) throws Exception {
        JobResult result = cluster.requestJobResult(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (result.getSerializedThrowable().isPresent()) {
            throw new IllegalStateException(
                    "job " + job + " failed",
                    result.getSerializedThrowable()
                            .get()
                            .deserializeError(getClass().getClassLoader()));
        }
        return result;
    }

    public boolean isFinished(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(10, TimeUnit.SECONDS).isGloballyTerminalState();
    }

    public void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get(1, TimeUnit.MINUTES);
    }

    /**
     * Records read and written by each operator of the job, keyed by operator name, as the REST API reports them
     * (empty if the API does not answer in time: progress is best effort, never a reason to fail).
     */
    public Map<String, long[]> progress(JobID job) {
        Map<String, long[]> out = new LinkedHashMap<>();
        try {
            URI uri = cluster.getRestAddress().get(5, TimeUnit.SECONDS).resolve("/jobs/" + job);
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return out;
            }
            JsonNode root = JsonCodec.MAPPER.readTree(response.body());
            for (JsonNode vertex : root.path("vertices")) {
                JsonNode m = vertex.path("metrics");
                out.put(vertex.path("name").asText(), new long[] {
                    m.path("read-records").asLong(), m.path("write-records").asLong()
                });
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        return out;
    }

    /** The address and port the REST endpoint (and web UI) answers on. */
    public URI restAddress() throws Exception {
        return cluster.getRestAddress().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
