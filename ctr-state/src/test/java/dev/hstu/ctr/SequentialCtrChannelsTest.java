package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequentialCtrChannelsTest {
    private static final List<CtrEvent> BY_TIME = inTimeOrder(MovieLensRatings.events());

    @Test
    void populationAtTheEndEqualsTheOfflinePrecompute() {
        CtrConfig config = CtrConfig.defaults().withDecay(DecayPolicy.halfLife(Duration.ofDays(30)));
        SequentialCtrChannels channels = new SequentialCtrChannels(config, 1_000);
        for (CtrEvent e : BY_TIME) {
            assertThat(channels.next(e)).isPresent();
        }
        channels.refresh();
        BatchCtrComputation.Result batch = new BatchCtrComputation(config).compute(BY_TIME);

        for (CtrSide side : CtrSide.values()) {
            PopulationSnapshot expected = batch.side(side).population();
            PopulationSnapshot actual = channels.population(side);
            assertThat(actual.keys()).as(side + " keys").isEqualTo(expected.keys());
            assertThat(actual.rateMean()).as(side + " mean").isCloseTo(expected.rateMean(), within(1e-9));
            assertThat(actual.rateStd()).as(side + " std").isCloseTo(expected.rateStd(), within(1e-9));
            assertThat(actual.prior().a())
                    .as(side + " prior a")
                    .isCloseTo(expected.prior().a(), within(1e-6));
            assertThat(actual.prior().b())
                    .as(side + " prior b")
                    .isCloseTo(expected.prior().b(), within(1e-6));
            assertThat(actual.bucketThresholds()).as(side + " buckets").containsExactly(expected.bucketThresholds());
        }
    }

    @Test
    void eachEventCarriesItsRunningCountsAndTheLastRefreshedPopulation() {
        CtrConfig config = CtrConfig.defaults();
        int refreshEvery = 5_000;
        SequentialCtrChannels channels = new SequentialCtrChannels(config, refreshEvery);
        BatchCtrComputation sinceStart = new BatchCtrComputation(config);
        PopulationSnapshot userPopulation = PopulationSnapshot.empty(CtrSide.USER, config);
        Map<Long, long[]> perUser = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            CtrEvent e = BY_TIME.get(i);
            float[] out = channels.next(e).orElseThrow();
            long[] c = perUser.computeIfAbsent(e.userId(), k -> new long[2]);
            c[0]++;
            c[1] += e.action();
            // no decay: the user's counts are a straight count up to and including this event
            double ctr = userPopulation.prior().smooth(c[1], c[0]);
            double z = userPopulation.rateStd() > 0 ? (ctr - userPopulation.rateMean()) / userPopulation.rateStd() : 0;
            assertThat(out[0]).isCloseTo((float) Math.max(-5, Math.min(5, z)), within(1e-4f));
            assertThat(out[2]).isCloseTo((float) CtrChannels.count(c[0]), within(1e-6f));
            sinceStart.accept(e);
            if ((i + 1) % refreshEvery == 0) {
                userPopulation = sinceStart.result().users().population();
            }
        }
    }

    @Test
    void refusedEventsAreReportedAndNotFolded() {
        SequentialCtrChannels channels = new SequentialCtrChannels(CtrConfig.defaults(), 10);
        CtrEvent negative = new CtrEvent(1, 2, 1, -5);
        assertThat(channels.next(negative)).isEmpty();
        assertThat(channels.rejection(negative)).isPresent();
        float[] first = channels.next(new CtrEvent(1, 2, 1, 1_000)).orElseThrow();
        assertThat(first[2]).isCloseTo((float) CtrChannels.count(1), within(1e-6f));
    }

    private static List<CtrEvent> inTimeOrder(List<CtrEvent> events) {
        List<CtrEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(CtrEvent::timestampMs));
        return sorted;
    }
}
