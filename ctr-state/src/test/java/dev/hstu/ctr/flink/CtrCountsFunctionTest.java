package dev.hstu.ctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.ctr.BatchCtrComputation;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayPolicy;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationDelta;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.RejectReason;
import dev.hstu.ctr.RejectedCtrEvent;
import dev.hstu.ctr.RunningMoments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class CtrCountsFunctionTest {
    private static final CtrConfig CONFIG = CtrConfig.defaults()
            .withDecay(DecayPolicy.halfLife(Duration.ofDays(30)))
            .withAllowedLateness(Duration.ofSeconds(1))
            .withPopulationFlushInterval(Duration.ofMinutes(1));

    private static KeyedOneInputStreamOperatorTestHarness<Long, CtrEvent, CtrCountsUpdate> harness(
            CtrSide side, CtrConfig config, OperatorSubtaskState restoreFrom) throws Exception {
        return RocksDbHarness.open(
                new CtrCountsFunction(side, config), new CtrEventKeySelector(side), Types.LONG, restoreFrom);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<Long, CtrEvent, CtrCountsUpdate> h, CtrEvent e)
            throws Exception {
        h.processElement(e, e.timestampMs());
    }

    private static List<PopulationDelta> deltas(
            KeyedOneInputStreamOperatorTestHarness<Long, CtrEvent, CtrCountsUpdate> h) {
        return sideOutput(h, CtrOutputTags.POPULATION_DELTAS);
    }

    private static <X> List<X> sideOutput(
            KeyedOneInputStreamOperatorTestHarness<Long, CtrEvent, CtrCountsUpdate> h, OutputTag<X> tag) {
        List<X> out = new ArrayList<>();
        if (h.getSideOutput(tag) != null) {
            for (StreamRecord<X> r : h.getSideOutput(tag)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    @Test
    void foldsEventsPerKeyAndEmitsTheNewCounts() throws Exception {
        var h = harness(CtrSide.ITEM, CONFIG, null);
        send(h, new CtrEvent(1, 100, 1, 1_000));
        send(h, new CtrEvent(2, 100, 0, 3_000));
        send(h, new CtrEvent(2, 200, 1, 2_000));
        assertThat(h.extractOutputValues()).extracting(CtrCountsUpdate::key).containsExactly(100L, 100L, 200L);
        DecayedCounts item100 = h.extractOutputValues().get(1).counts();
        assertThat(item100.anchorMs()).isEqualTo(3_000);
        assertThat(item100).isEqualTo(DecayedCounts.first(1_000, 1.0).plus(3_000, 0.0, CONFIG.decay()));
        assertThat(h.getOperator().getKeyedStateBackend()).isInstanceOf(RocksDBKeyedStateBackend.class);
        h.close();
    }

    @Test
    void lateAndUnknownActionEventsGoToTheSideOutputAndAreNotFolded() throws Exception {
        var h = harness(CtrSide.USER, CONFIG, null);
        send(h, new CtrEvent(1, 100, 1, 10_000));
        h.processWatermark(10_000);
        send(h, new CtrEvent(1, 101, 1, 8_999));
        send(h, new CtrEvent(1, 102, 0b10, 10_001));
        send(h, new CtrEvent(1, 103, 0, 9_000));
        List<RejectedCtrEvent> rejected = sideOutput(h, CtrOutputTags.REJECTED);
        assertThat(rejected)
                .extracting(RejectedCtrEvent::reason)
                .containsExactly(RejectReason.LATE, RejectReason.UNKNOWN_ACTION);
        assertThat(rejected.get(0).message())
                .contains("1001 ms behind the watermark 10000, allowed lateness is 1000 ms");
        List<CtrCountsUpdate> updates = h.extractOutputValues();
        assertThat(updates).hasSize(2);
        assertThat(updates.get(1).counts().exposures())
                .isCloseTo(1 + CONFIG.decay().factor(9_000, 10_000), within(1e-15));
        h.close();
    }

    @Test
    void populationChangesAreFlushedWhenTheWatermarkPassesTheInterval() throws Exception {
        var h = harness(CtrSide.USER, CONFIG, null);
        send(h, new CtrEvent(1, 100, 1, 10_000));
        send(h, new CtrEvent(2, 100, 0, 20_000));
        send(h, new CtrEvent(1, 101, 0, 30_000));
        h.processWatermark(59_999);
        assertThat(deltas(h)).isEmpty();
        h.processWatermark(60_000);
        assertThat(deltas(h)).hasSize(1);
        PopulationDelta delta = deltas(h).get(0);
        assertThat(delta.added().count()).isEqualTo(3);
        assertThat(delta.removed().count()).isEqualTo(1);
        RunningMoments population = delta.applyTo(RunningMoments.empty());
        double decayedClick = CONFIG.decay().factor(10_000, 30_000);
        RunningMoments expected = RunningMoments.empty().plus(0.0).plus(decayedClick / (1 + decayedClick));
        assertThat(population.count()).isEqualTo(2);
        assertThat(population.mean()).isCloseTo(expected.mean(), within(1e-15));
        assertThat(population.m2()).isCloseTo(expected.m2(), within(1e-15));
        h.close();
    }

    @Test
    void restoreFromASnapshotContinuesExactlyAsAnUninterruptedRun() throws Exception {
        OutOfOrderEvents stream = OutOfOrderEvents.ofMovieLens(4_000, 16, 5);
        Map<Long, DecayedCounts> finalCounts = new HashMap<>();
        List<PopulationDelta> delivered = new ArrayList<>();
        List<RejectedCtrEvent> rejected = new ArrayList<>();
        CtrConfig config = CONFIG.withAllowedLateness(Duration.ofMillis(stream.maxDisorderMs()));

        var first = harness(CtrSide.ITEM, config, null);
        long maxSeen = Long.MIN_VALUE;
        for (CtrEvent e : stream.events().subList(0, 2_000)) {
            send(first, e);
            maxSeen = Math.max(maxSeen, e.timestampMs());
            first.processWatermark(maxSeen);
        }
        delivered.addAll(deltas(first));
        rejected.addAll(sideOutput(first, CtrOutputTags.REJECTED));
        first.extractOutputValues().forEach(u -> finalCounts.put(u.key(), u.counts()));
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        // What the first instance does after the snapshot is lost with it, as in a failover.
        send(first, new CtrEvent(1, 999_999, 1, maxSeen + 1));
        first.processWatermark(Long.MAX_VALUE);
        first.close();

        var second = harness(CtrSide.ITEM, config, snapshot);
        for (CtrEvent e : stream.events().subList(2_000, 4_000)) {
            send(second, e);
            maxSeen = Math.max(maxSeen, e.timestampMs());
            second.processWatermark(maxSeen);
        }
        second.processWatermark(Long.MAX_VALUE);
        delivered.addAll(deltas(second));
        rejected.addAll(sideOutput(second, CtrOutputTags.REJECTED));
        second.extractOutputValues().forEach(u -> finalCounts.put(u.key(), u.counts()));
        second.close();

        assertThat(rejected).as("every event is within the allowed lateness").isEmpty();
        BatchCtrComputation.Result batch = new BatchCtrComputation(config).compute(stream.events());
        assertThat(finalCounts.keySet()).isEqualTo(batch.items().counts().keySet());
        finalCounts.forEach((key, c) -> {
            DecayedCounts b = batch.items().counts().get(key);
            assertThat(c.anchorMs()).isEqualTo(b.anchorMs());
            assertThat(c.exposures()).isCloseTo(b.exposures(), within(1e-9));
            assertThat(c.clicks()).isCloseTo(b.clicks(), within(1e-9));
        });
        RunningMoments rates = RunningMoments.empty();
        for (PopulationDelta d : delivered) {
            rates = d.applyTo(rates);
        }
        PopulationSnapshot expected = batch.items().population();
        assertThat(rates.count()).isEqualTo(expected.keys());
        assertThat(rates.mean()).isCloseTo(expected.rateMean(), within(1e-12));
        assertThat(rates.std()).isCloseTo(expected.rateStd(), within(1e-12));
    }
}
