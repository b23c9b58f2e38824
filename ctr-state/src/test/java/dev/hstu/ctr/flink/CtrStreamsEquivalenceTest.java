package dev.hstu.ctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.ctr.BatchCtrComputation;
import dev.hstu.ctr.BucketQuantiles;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrFeature;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.CtrTables;
import dev.hstu.ctr.DecayPolicy;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.RejectReason;
import dev.hstu.ctr.RejectedCtrEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The streaming CTR state on a real MiniCluster with RocksDB equals the offline precompute over the
 * same events: all of MovieLens, out of order within the allowed lateness, with a failure half-way
 * that makes the job restore from a checkpoint, plus events later than the allowed lateness and an
 * unknown action that must come out as rejected.
 */
class CtrStreamsEquivalenceTest {
    private static final double TOLERANCE = 1e-6;

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

    private static OutOfOrderEvents stream;
    private static List<CtrEvent> tooLate;
    private static CtrEvent unknownAction;
    private static CtrConfig config;

    @BeforeAll
    static void events() {
        stream = OutOfOrderEvents.ofMovieLens(Integer.MAX_VALUE, 16, 1);
        CtrEvent first = stream.events().get(0);
        CtrEvent last = stream.events().get(stream.events().size() - 1);
        // Copies of real interactions moved back to the start of the log: far beyond the lateness.
        tooLate = List.of(
                new CtrEvent(last.userId(), last.itemId(), 1, first.timestampMs()),
                new CtrEvent(first.userId(), first.itemId(), 0, first.timestampMs()),
                new CtrEvent(last.userId(), first.itemId(), 1, first.timestampMs() + 1));
        unknownAction = new CtrEvent(last.userId(), last.itemId(), 6, last.timestampMs());
        config = CtrConfig.defaults()
                .withDecay(DecayPolicy.halfLife(Duration.ofDays(30)))
                .withBucketQuantiles(BucketQuantiles.of(0.5, 0.9))
                .withAllowedLateness(Duration.ofMillis(stream.maxDisorderMs()))
                .withPopulationFlushInterval(Duration.ofDays(1));
    }

    @Test
    void streamingStateAfterRestoreEqualsTheOfflinePrecompute() throws Exception {
        List<CtrEvent> input = new ArrayList<>(stream.events());
        input.addAll(tooLate);
        input.add(unknownAction);
        FailOnceAfterCheckpoint.reset();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(clusterConfig());
        env.setParallelism(2);
        DataStream<CtrEvent> events = env.fromData(input, TypeInformation.of(CtrEvent.class))
                .setParallelism(1)
                .map(new FailOnceAfterCheckpoint<CtrEvent>(input.size() / 2, rocksDbDir))
                .setParallelism(1)
                // The watermark follows the latest timestamp with no slack, so every out-of-order event
                // arrives behind it and is kept only because of the allowed lateness.
                .assignTimestampsAndWatermarks(PerEventWatermarks.strategy(0))
                .setParallelism(1);
        CtrStreams ctr = CtrStreams.attach(events, config);
        ctr.counts().sinkTo(CollectingSink.named("counts")).setParallelism(1);
        ctr.populations().sinkTo(CollectingSink.named("populations")).setParallelism(1);
        ctr.rejected().sinkTo(CollectingSink.named("rejected")).setParallelism(1);
        ctr.features().sinkTo(CollectingSink.named("features")).setParallelism(1);
        env.execute("CTR streaming equivalence");

        assertThat(FailOnceAfterCheckpoint.FAILED)
                .as("the injected failure happened")
                .isTrue();
        assertThat(FailOnceAfterCheckpoint.RECORDS_PER_ATTEMPT.get(1))
                .as("the restarted attempt resumed from a checkpoint, not from the first record")
                .isLessThan((long) input.size());
        assertThat(FailOnceAfterCheckpoint.ROCKSDB_FILES_SEEN)
                .as("keyed state lived in RocksDB")
                .isTrue();

        List<RejectedCtrEvent> rejected = CollectingSink.received("rejected");
        assertThat(rejected)
                .extracting(RejectedCtrEvent::event)
                .containsExactlyInAnyOrder(tooLate.get(0), tooLate.get(1), tooLate.get(2), unknownAction);
        assertThat(rejected)
                .filteredOn(r -> r.event().equals(unknownAction))
                .extracting(RejectedCtrEvent::reason)
                .containsExactly(RejectReason.UNKNOWN_ACTION);
        assertThat(rejected)
                .filteredOn(r -> !r.event().equals(unknownAction))
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo(RejectReason.LATE));

        BatchCtrComputation.Result batch = new BatchCtrComputation(config).compute(stream.events());
        long asOf = batch.items().latestEventMs();
        Map<CtrSide, Map<Long, DecayedCounts>> streamedCounts = lastCountsPerKey();
        Map<CtrSide, PopulationSnapshot> streamedPopulations = lastPopulationPerSide();
        for (CtrSide side : CtrSide.values()) {
            CtrTables expected = batch.side(side);
            PopulationSnapshot population = streamedPopulations.get(side);
            assertPopulationsEqual(population, expected.population());
            Map<Long, DecayedCounts> counts = streamedCounts.get(side);
            assertThat(counts.keySet()).isEqualTo(expected.counts().keySet());
            for (CtrFeature want : expected.features(asOf, config.decay())) {
                CtrFeature got =
                        CtrFeature.of(side, want.key(), counts.get(want.key()), population, asOf, config.decay());
                assertThat(got.lastEventMs()).isEqualTo(want.lastEventMs());
                assertThat(got.exposures()).isCloseTo(want.exposures(), within(TOLERANCE));
                assertThat(got.clicks()).isCloseTo(want.clicks(), within(TOLERANCE));
                assertThat(got.ctr()).as("%s %d ctr", side, want.key()).isCloseTo(want.ctr(), within(TOLERANCE));
                assertThat(got.ctrZ()).as("%s %d ctr_z", side, want.key()).isCloseTo(want.ctrZ(), within(TOLERANCE));
                assertThat(got.popularityBucket()).isEqualTo(want.popularityBucket());
            }
        }

        Map<Long, CtrFeature> lastItemFeature = new HashMap<>();
        for (CtrFeature f : CollectingSink.<CtrFeature>received("features")) {
            if (f.side() == CtrSide.ITEM) {
                lastItemFeature.put(f.key(), f);
            }
        }
        assertThat(lastItemFeature.keySet()).isEqualTo(batch.items().counts().keySet());
        lastItemFeature.values().forEach(f -> {
            DecayedCounts c = batch.items().counts().get(f.key());
            assertThat(f.asOfMs()).isEqualTo(c.anchorMs());
            assertThat(f.exposures()).isCloseTo(c.exposures(), within(TOLERANCE));
        });
    }

    private static void assertPopulationsEqual(PopulationSnapshot got, PopulationSnapshot want) {
        assertThat(got.keys()).isEqualTo(want.keys());
        assertThat(got.rateMean()).isCloseTo(want.rateMean(), within(1e-12));
        assertThat(got.rateStd()).isCloseTo(want.rateStd(), within(1e-12));
        assertThat(got.prior().a()).isCloseTo(want.prior().a(), within(TOLERANCE));
        assertThat(got.prior().b()).isCloseTo(want.prior().b(), within(TOLERANCE));
        assertThat(got.bucketThresholds()).containsExactly(want.bucketThresholds());
    }

    private static Map<CtrSide, Map<Long, DecayedCounts>> lastCountsPerKey() {
        Map<CtrSide, Map<Long, DecayedCounts>> out = new EnumMap<>(CtrSide.class);
        for (CtrSide side : CtrSide.values()) {
            out.put(side, new HashMap<>());
        }
        for (CtrCountsUpdate u : CollectingSink.<CtrCountsUpdate>received("counts")) {
            out.get(u.side()).put(u.key(), u.counts());
        }
        return out;
    }

    private static Map<CtrSide, PopulationSnapshot> lastPopulationPerSide() {
        Map<CtrSide, PopulationSnapshot> out = new EnumMap<>(CtrSide.class);
        for (PopulationSnapshot p : CollectingSink.<PopulationSnapshot>received("populations")) {
            out.put(p.side(), p);
        }
        return out;
    }
}
