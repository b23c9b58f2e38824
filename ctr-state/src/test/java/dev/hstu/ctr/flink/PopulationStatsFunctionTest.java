package dev.hstu.ctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.ctr.BatchCtrComputation;
import dev.hstu.ctr.BucketQuantiles;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayPolicy;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationDelta;
import dev.hstu.ctr.PopulationDeltaAccumulator;
import dev.hstu.ctr.PopulationSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PopulationStatsFunctionTest {
    private static final CtrConfig CONFIG = CtrConfig.defaults()
            .withDecay(DecayPolicy.halfLife(Duration.ofDays(7)))
            .withBucketQuantiles(BucketQuantiles.of(0.5, 0.9));

    /** Deltas as three counting subtasks would flush them, every 500 events, for the item side. */
    private static List<PopulationDelta> deltasOfThreeSubtasks(List<CtrEvent> events) {
        List<PopulationDeltaAccumulator> subtasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subtasks.add(new PopulationDeltaAccumulator(CtrSide.ITEM, CONFIG.decay()));
        }
        Map<Long, DecayedCounts> counts = new HashMap<>();
        List<PopulationDelta> deltas = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            CtrEvent e = events.get(i);
            double engagement = CONFIG.actionWeights().engagement(e.action());
            DecayedCounts previous = counts.get(e.itemId());
            DecayedCounts next = previous == null
                    ? DecayedCounts.first(e.timestampMs(), engagement)
                    : previous.plus(e.timestampMs(), engagement, CONFIG.decay());
            counts.put(e.itemId(), next);
            subtasks.get((int) Math.floorMod(e.itemId(), 3L)).replace(previous, next);
            if (i % 500 == 499) {
                subtasks.forEach(s -> deltas.add(s.drain()));
            }
        }
        subtasks.forEach(s -> deltas.add(s.drain()));
        return deltas;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PopulationDelta, PopulationSnapshot> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        return RocksDbHarness.open(
                new PopulationStatsFunction(CONFIG),
                PopulationStatsFunction.SIDE_KEY,
                TypeInformation.of(String.class),
                restoreFrom);
    }

    @Test
    void mergedSubtaskDeltasGiveTheBatchPopulationAcrossARestore() throws Exception {
        List<CtrEvent> events = OutOfOrderEvents.ofMovieLens(6_000, 8, 9).events();
        List<PopulationDelta> deltas = deltasOfThreeSubtasks(events);
        int half = deltas.size() / 2;

        var first = harness(null);
        for (PopulationDelta d : deltas.subList(0, half)) {
            first.processElement(d, 0L);
        }
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        first.close();
        var second = harness(snapshot);
        for (PopulationDelta d : deltas.subList(half, deltas.size())) {
            second.processElement(d, 0L);
        }
        List<PopulationSnapshot> out = second.extractOutputValues();
        second.close();

        PopulationSnapshot streamed = out.get(out.size() - 1);
        PopulationSnapshot batch =
                new BatchCtrComputation(CONFIG).compute(events).items().population();
        assertThat(streamed.version()).isEqualTo(deltas.size());
        assertThat(streamed.keys()).isEqualTo(batch.keys());
        assertThat(streamed.rateMean()).isCloseTo(batch.rateMean(), within(1e-12));
        assertThat(streamed.rateStd()).isCloseTo(batch.rateStd(), within(1e-12));
        assertThat(streamed.prior().a()).isCloseTo(batch.prior().a(), within(1e-9));
        assertThat(streamed.prior().b()).isCloseTo(batch.prior().b(), within(1e-9));
        assertThat(streamed.bucketThresholds()).containsExactly(batch.bucketThresholds());
    }
}
