package dev.hstu.ctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.ctr.BetaPrior;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrFeature;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.ctr.PopulationSnapshot;
import java.util.List;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class CtrFeatureFunctionTest {

    @Test
    void usesTheLatestSnapshotOfTheUpdatesSide() throws Exception {
        BroadcastOperatorTestHarness<CtrCountsUpdate, PopulationSnapshot, CtrFeature> h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new CtrFeatureFunction(CtrConfig.defaults()), CtrStateDescriptors.POPULATION_SNAPSHOTS);
        DecayedCounts counts = new DecayedCounts(5_000, 8, 6);

        h.processElement(new CtrCountsUpdate(CtrSide.ITEM, 42, counts), 5_000);
        h.processBroadcastElement(
                new PopulationSnapshot(CtrSide.USER, 3, 10, 0.5, 0.1, new BetaPrior(1, 1), new long[] {0}), 5_000);
        h.processElement(new CtrCountsUpdate(CtrSide.ITEM, 42, counts), 5_000);
        h.processBroadcastElement(
                new PopulationSnapshot(CtrSide.ITEM, 7, 10, 0.4, 0.2, new BetaPrior(2, 3), new long[] {95}), 5_000);
        h.processElement(new CtrCountsUpdate(CtrSide.ITEM, 42, counts), 5_000);

        List<CtrFeature> features = h.extractOutputValues();
        assertThat(features).extracting(CtrFeature::populationVersion).containsExactly(0L, 0L, 7L);
        CtrFeature empty = features.get(0);
        assertThat(empty.ctr()).isCloseTo((6 + 5.0) / (8 + 10.0), within(1e-15));
        assertThat(empty.ctrZ()).isZero();
        CtrFeature withItemPrior = features.get(2);
        assertThat(withItemPrior.ctr()).isCloseTo((6 + 2.0) / (8 + 5.0), within(1e-15));
        assertThat(withItemPrior.ctrZ()).isCloseTo(((6 + 2.0) / (8 + 5.0) - 0.4) / 0.2, within(1e-15));
        // log2(8) * 32 = 96 lies above the threshold 95: the hot bucket
        assertThat(withItemPrior.popularityBucket()).isEqualTo(1);
        assertThat(withItemPrior.asOfMs()).isEqualTo(5_000);
        h.close();
    }
}
