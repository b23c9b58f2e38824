package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchCtrComputationTest {
    private static final List<CtrEvent> RATINGS = MovieLensRatings.events();

    @Test
    void plainCountsAndTheFittedPriorMatchAStraightCountOfTheRatings() {
        Map<Long, long[]> perUser = new HashMap<>();
        for (CtrEvent e : RATINGS) {
            long[] c = perUser.computeIfAbsent(e.userId(), k -> new long[2]);
            c[0]++;
            c[1] += e.action();
        }
        BatchCtrComputation.Result result = new BatchCtrComputation(CtrConfig.defaults()).compute(RATINGS);

        assertThat(result.foldedEvents()).isEqualTo(100_836);
        assertThat(result.users().counts()).hasSize(610);
        assertThat(result.items().counts()).hasSize(9_724);
        double sum = 0;
        for (Map.Entry<Long, long[]> e : perUser.entrySet()) {
            DecayedCounts c = result.users().counts().get(e.getKey());
            assertThat(c.exposures()).isEqualTo(e.getValue()[0]);
            assertThat(c.clicks()).isEqualTo(e.getValue()[1]);
            sum += (double) e.getValue()[1] / e.getValue()[0];
        }
        double mean = sum / perUser.size();
        double ss = 0;
        for (long[] c : perUser.values()) {
            double rate = (double) c[1] / c[0];
            ss += (rate - mean) * (rate - mean);
        }
        double variance = ss / perUser.size();
        double k = Math.min(10_000, Math.max(10, mean * (1 - mean) / variance - 1));
        PopulationSnapshot users = result.users().population();
        assertThat(users.rateMean()).isCloseTo(mean, within(1e-12));
        assertThat(users.rateStd()).isCloseTo(Math.sqrt(variance), within(1e-12));
        assertThat(users.prior().a()).isCloseTo(mean * k, within(1e-9));
        assertThat(users.prior().b()).isCloseTo((1 - mean) * k, within(1e-9));

        CtrFeature first = result.users()
                .features(result.users().latestEventMs(), DecayPolicy.none())
                .get(0);
        long[] c1 = perUser.get(1L);
        assertThat(first.key()).isEqualTo(1L);
        assertThat(first.ctr()).isCloseTo((c1[1] + mean * k) / (c1[0] + k), within(1e-12));
    }

    @Test
    void shuffledLogGivesTheSameFeaturesWithDecay() {
        CtrConfig config = CtrConfig.defaults()
                .withDecay(DecayPolicy.halfLife(Duration.ofDays(30)))
                .withBucketQuantiles(BucketQuantiles.of(0.5, 0.9));
        List<CtrEvent> shuffled = new ArrayList<>(RATINGS);
        Collections.shuffle(shuffled, new Random(42));
        BatchCtrComputation.Result inOrder = new BatchCtrComputation(config).compute(RATINGS);
        BatchCtrComputation.Result outOfOrder = new BatchCtrComputation(config).compute(shuffled);
        long asOf = inOrder.items().latestEventMs();
        for (CtrSide side : CtrSide.values()) {
            List<CtrFeature> a = inOrder.side(side).features(asOf, config.decay());
            List<CtrFeature> b = outOfOrder.side(side).features(asOf, config.decay());
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).key()).isEqualTo(a.get(i).key());
                assertThat(b.get(i).ctr()).isCloseTo(a.get(i).ctr(), within(1e-12));
                assertThat(b.get(i).ctrZ()).isCloseTo(a.get(i).ctrZ(), within(1e-9));
                assertThat(b.get(i).exposures()).isCloseTo(a.get(i).exposures(), within(1e-9));
                assertThat(b.get(i).popularityBucket()).isEqualTo(a.get(i).popularityBucket());
            }
        }
    }

    @Test
    void invalidEventsAreReturnedAndNotFolded() {
        List<CtrEvent> events =
                List.of(new CtrEvent(1, 1, 1, 10), new CtrEvent(1, 2, 6, 20), new CtrEvent(1, 3, 0, -1));
        BatchCtrComputation.Result result = new BatchCtrComputation(CtrConfig.defaults()).compute(events);
        assertThat(result.foldedEvents()).isEqualTo(1);
        assertThat(result.users().counts().get(1L)).isEqualTo(new DecayedCounts(10, 1, 1));
        assertThat(result.rejected())
                .extracting(RejectedCtrEvent::reason)
                .containsExactly(RejectReason.UNKNOWN_ACTION, RejectReason.NEGATIVE_TIMESTAMP);
    }
}
