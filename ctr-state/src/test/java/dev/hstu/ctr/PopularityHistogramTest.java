package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PopularityHistogramTest {

    @Test
    void thresholdsSplitKeysAtTheQuantiles() {
        PopularityHistogram h = new PopularityHistogram();
        for (long bin = 1; bin <= 10; bin++) {
            h.add(bin, 1);
        }
        long[] t = h.thresholds(BucketQuantiles.of(0.5, 0.8));
        assertThat(t).containsExactly(5, 8);
        assertThat(PopularityBin.bucket(5, t)).isZero();
        assertThat(PopularityBin.bucket(6, t)).isEqualTo(1);
        assertThat(PopularityBin.bucket(9, t)).isEqualTo(2);
        h.add(10, -1);
        h.add(9, -1);
        assertThat(h.total()).isEqualTo(8);
        assertThat(h.bins()).doesNotContainKeys(9L, 10L);
        assertThat(new PopularityHistogram().thresholds(BucketQuantiles.of(0.8)))
                .containsExactly(Long.MAX_VALUE);
    }

    @Test
    void keysSharingABinShareABucket() {
        PopularityHistogram h = new PopularityHistogram();
        h.add(3, 8);
        h.add(4, 2);
        long[] t = h.thresholds(BucketQuantiles.of(0.5));
        assertThat(t).containsExactly(3);
        assertThat(PopularityBin.bucket(3, t)).isZero();
        assertThat(PopularityBin.bucket(4, t)).isEqualTo(1);
    }

    @Test
    void binOrderIsPopularityOrderAtAnyLaterTime() {
        DecayPolicy decay = DecayPolicy.halfLife(Duration.ofHours(6));
        Random r = new Random(3);
        List<DecayedCounts> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            DecayedCounts c = DecayedCounts.first(Math.floorMod(r.nextLong(), 10 * 86_400_000L), 0);
            for (int j = r.nextInt(30); j > 0; j--) {
                c = c.plus(Math.floorMod(r.nextLong(), 10 * 86_400_000L), 0, decay);
            }
            keys.add(c);
        }
        for (long asOf : new long[] {10 * 86_400_000L, 30 * 86_400_000L}) {
            List<DecayedCounts> byPopularity = new ArrayList<>(keys);
            byPopularity.sort(Comparator.comparingDouble(c -> c.at(asOf, decay).exposures()));
            for (int i = 1; i < byPopularity.size(); i++) {
                assertThat(PopularityBin.of(byPopularity.get(i), decay))
                        .isGreaterThanOrEqualTo(PopularityBin.of(byPopularity.get(i - 1), decay));
            }
        }
    }
}
