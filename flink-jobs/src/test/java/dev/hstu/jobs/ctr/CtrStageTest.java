package dev.hstu.jobs.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.ctr.BatchCtrComputation;
import dev.hstu.ctr.CtrChannels;
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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The jobs' CTR stage on a MiniCluster with RocksDB, over real MovieLens ratings (rating >= 4 is a click): every
 * event comes out once with its channels, the counts behind them are each key's running counts, and the population
 * the stage ends with is the offline precompute's over the same events.
 */
class CtrStageTest {

    private static final int EVENTS = 20_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(rocksDb())
                    .build());

    private static List<InteractionEvent> events;
    private static CtrConfig config;

    private static Configuration rocksDb() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
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
        config = new CtrSettings(true, "0=1", "30d", "auto", "10,10000", "0.8", 200L)
                .toCtrConfig(4, Duration.ofDays(365));
    }

    @Test
    void everyEventCarriesItsKeysRunningCountsAndTheFinalPopulationIsTheOfflineOne() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CtrStage stage = CtrStage.attach(env.fromData(events).setParallelism(1), config, 0L);
        CloseableIterator<InteractionEvent> featured = stage.events().collectAsync();
        CloseableIterator<PopulationSnapshot> populations = stage.populations().collectAsync();
        CloseableIterator<RejectedCtrEvent> rejected = stage.rejected().collectAsync();
        env.execute("ctr stage");

        List<InteractionEvent> out = drain(featured);
        assertThat(out).hasSize(EVENTS);
        assertThat(drain(rejected)).isEmpty();
        Map<Long, List<Float>> userCounts = new HashMap<>();
        Map<Long, List<Float>> itemCounts = new HashMap<>();
        long withZ = 0;
        for (InteractionEvent e : out) {
            float[] f = e.features();
            assertThat(f).hasSize(CtrChannels.COUNT);
            for (float v : f) {
                assertThat(Float.isFinite(v)).isTrue();
            }
            assertThat(Math.abs(f[0])).isLessThanOrEqualTo((float) CtrChannels.Z_LIMIT);
            withZ += f[0] != 0f && f[1] != 0f ? 1 : 0;
            userCounts.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(f[2]);
            itemCounts.computeIfAbsent(e.itemId(), k -> new ArrayList<>()).add(f[3]);
        }
        // Each key's events carry its running count; decay only lowers it, never below one event's worth.
        assertRunningCounts(userCounts);
        assertRunningCounts(itemCounts);
        // Deltas are flushed per event (flushMs 0), so snapshots follow the counts closely; with a processing-time
        // period a fast run could fold every event before the first snapshot arrives. How many events precede it
        // is still timing; that the fitted population reaches the channels is not.
        assertThat(withZ).as("events scored against a fitted population").isPositive();

        Map<CtrSide, PopulationSnapshot> last = new EnumMap<>(CtrSide.class);
        for (PopulationSnapshot p : drain(populations)) {
            last.merge(p.side(), p, (a, b) -> a.version() >= b.version() ? a : b);
        }
        List<CtrEvent> ctrEvents = events.stream()
                .map(e -> new CtrEvent(e.userId(), e.itemId(), e.action(), e.timestampMs()))
                .toList();
        BatchCtrComputation.Result offline = new BatchCtrComputation(config).compute(ctrEvents);
        for (CtrSide side : CtrSide.values()) {
            PopulationSnapshot streamed = last.get(side);
            PopulationSnapshot batch = offline.side(side).population();
            assertThat(streamed.keys()).isEqualTo(batch.keys());
            assertThat(streamed.rateMean()).isCloseTo(batch.rateMean(), within(1e-6));
            assertThat(streamed.rateStd()).isCloseTo(batch.rateStd(), within(1e-6));
            assertThat(streamed.prior().a()).isCloseTo(batch.prior().a(), within(1e-6));
            assertThat(streamed.prior().b()).isCloseTo(batch.prior().b(), within(1e-6));
            assertThat(streamed.bucketThresholds()).containsExactly(batch.bucketThresholds());
        }
    }

    private static void assertRunningCounts(Map<Long, List<Float>> logCountsByKey) {
        for (List<Float> logCounts : logCountsByKey.values()) {
            List<Double> counts = logCounts.stream()
                    .map(CtrChannels::exposures)
                    .sorted(Comparator.naturalOrder())
                    .toList();
            assertThat(counts.get(0)).isCloseTo(1.0, within(1e-4));
            for (int i = 0; i < counts.size(); i++) {
                assertThat(counts.get(i)).isLessThanOrEqualTo((i + 1) * (1 + 1e-4));
                assertThat(counts.get(i)).isGreaterThan(0.99);
            }
        }
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
