package dev.hstu.jobs.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.ctr.BatchCtrComputation;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.RejectedCtrEvent;
import dev.hstu.jobs.config.CtrSettings;
import dev.hstu.jobs.demo.RatingsLog;
import dev.hstu.jobs.event.InteractionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs' CTR stage keeps the offline precompute's statistics across a failure: real MovieLens ratings through
 * the stage on a MiniCluster with RocksDB and checkpoints, a failure half-way that makes the job restore from a
 * checkpoint, and at the end each side's population (key count, moments of every key's rate, fitted prior,
 * popularity thresholds, which together depend on every key's final counts) equals the offline one, every event
 * came out with its channels, and an event with an unweighted action bit was rejected with the reason.
 */
class CtrStageRestoreTest {

    /** The first ratings of the file: enough for several checkpoints before and after the failure. */
    private static final int EVENTS = 20_000;

    @TempDir
    static Path tmp;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(clusterConfig())
                    .build());

    private static Path rocksDbDir;
    private static List<InteractionEvent> events;
    private static InteractionEvent unknownAction;
    private static CtrConfig config;

    private static Configuration clusterConfig() {
        rocksDbDir = tmp.resolve("rocksdb");
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(RocksDBOptions.LOCAL_DIRECTORIES, rocksDbDir.toString());
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                tmp.resolve("checkpoints").toUri().toString());
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        return conf;
    }

    @BeforeAll
    static void readRatings() {
        RatingsLog log = RatingsLog.read(Path.of("..", "data", "ml-latest-small", "ratings.csv"));
        events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(new InteractionEvent(
                    log.users[i], log.items[i], log.ratings[i] >= 4f ? 1 : 0, log.timestampsMs[i]));
        }
        InteractionEvent last = events.get(events.size() - 1);
        // Bit 2 has no CTR weight in this configuration (actionWeights "0=1" over 2 action bits).
        unknownAction = new InteractionEvent(last.userId(), last.itemId(), 4, last.timestampMs());
        config = new CtrSettings(true, "0=1", "30d", "auto", "10,10000", "0.8", 200L)
                .toCtrConfig(2, Duration.ofDays(365));
    }

    @Test
    void afterARestoreTheStageEndsWithTheOfflinePopulation() throws Exception {
        List<InteractionEvent> input = new ArrayList<>(events);
        input.add(unknownAction);
        FailOnceAfterCheckpoint.reset();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(clusterConfig());
        env.setParallelism(2);
        DataStream<InteractionEvent> source = env.fromData(input, TypeInformation.of(InteractionEvent.class))
                .setParallelism(1)
                .map(new FailOnceAfterCheckpoint<InteractionEvent>(input.size() / 2, rocksDbDir))
                .setParallelism(1);
        CtrStage stage = CtrStage.attach(source, config, 200L);
        stage.events().sinkTo(CollectingSink.named("events")).setParallelism(1);
        stage.populations().sinkTo(CollectingSink.named("populations")).setParallelism(1);
        stage.rejected().sinkTo(CollectingSink.named("rejected")).setParallelism(1);
        env.execute("CTR stage restore");

        assertThat(FailOnceAfterCheckpoint.FAILED)
                .as("the injected failure happened")
                .isTrue();
        assertThat(FailOnceAfterCheckpoint.RECORDS_PER_ATTEMPT.get(1))
                .as("the restarted attempt resumed from a checkpoint, not from the first record")
                .isLessThan((long) input.size());
        assertThat(FailOnceAfterCheckpoint.ROCKSDB_FILES_SEEN)
                .as("keyed state lived in RocksDB")
                .isTrue();

        // The sink is not transactional: records since the last checkpoint arrive again after the restore.
        Set<InteractionEvent> emitted = new HashSet<>();
        for (InteractionEvent e : CollectingSink.<InteractionEvent>received("events")) {
            emitted.add(new InteractionEvent(e.userId(), e.itemId(), e.action(), e.timestampMs()));
        }
        assertThat(emitted).containsAll(events);
        assertThat(CollectingSink.<RejectedCtrEvent>received("rejected"))
                .extracting(r -> r.event().action())
                .containsOnly(4);

        // The last snapshot received, not the highest version: deltas are flushed on processing time, so the
        // attempt before the failure may have numbered more (partial) snapshots than the restored one ends with.
        Map<CtrSide, PopulationSnapshot> last = new EnumMap<>(CtrSide.class);
        for (PopulationSnapshot p : CollectingSink.<PopulationSnapshot>received("populations")) {
            last.put(p.side(), p);
        }
        List<CtrEvent> ctrEvents = events.stream()
                .map(e -> new CtrEvent(e.userId(), e.itemId(), e.action(), e.timestampMs()))
                .toList();
        BatchCtrComputation.Result offline = new BatchCtrComputation(config).compute(ctrEvents);
        for (CtrSide side : CtrSide.values()) {
            PopulationSnapshot streamed = last.get(side);
            PopulationSnapshot batch = offline.side(side).population();
            assertThat(streamed.keys()).as("%s keys", side).isEqualTo(batch.keys());
            assertThat(streamed.rateMean()).isCloseTo(batch.rateMean(), within(1e-9));
            assertThat(streamed.rateStd()).isCloseTo(batch.rateStd(), within(1e-9));
            assertThat(streamed.prior().a()).isCloseTo(batch.prior().a(), within(1e-6));
            assertThat(streamed.prior().b()).isCloseTo(batch.prior().b(), within(1e-6));
            assertThat(streamed.bucketThresholds()).containsExactly(batch.bucketThresholds());
        }
    }
}
