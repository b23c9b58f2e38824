package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecayedCountsTest {
    private static final DecayPolicy DAY = DecayPolicy.halfLife(Duration.ofDays(1));

    @Test
    void withoutDecayCountsArePlainSums() {
        DecayedCounts c = DecayedCounts.first(5_000, 1.0)
                .plus(1_000, 0.0, DecayPolicy.none())
                .plus(9_000, 1.0, DecayPolicy.none())
                .plus(2_000, 0.5, DecayPolicy.none());
        assertThat(c).isEqualTo(new DecayedCounts(9_000, 4.0, 2.5));
        assertThat(c.at(1_000_000, DecayPolicy.none())).isEqualTo(new DecayedCounts(1_000_000, 4.0, 2.5));
    }

    @Test
    void oneHalfLifeHalvesTheCounts() {
        long day = Duration.ofDays(1).toMillis();
        DecayedCounts c = DecayedCounts.first(0, 1.0).plus(day, 0.0, DAY);
        assertThat(c.exposures()).isEqualTo(1.5);
        assertThat(c.clicks()).isEqualTo(0.5);
        assertThat(c.at(3 * day, DAY).exposures()).isCloseTo(0.375, within(1e-15));
    }

    @Test
    void resultDoesNotDependOnArrivalOrderAndEqualsTheDirectSum() {
        Random random = new Random(7);
        List<long[]> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(new long[] {Math.floorMod(random.nextLong(), 90L * 86_400_000L), random.nextInt(2)});
        }
        long asOf = 100L * 86_400_000L;
        double expectedExposures = 0;
        double expectedClicks = 0;
        for (long[] e : events) {
            double w = Math.pow(2, -(asOf - e[0]) / 86_400_000.0);
            expectedExposures += w;
            expectedClicks += w * e[1];
        }
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(events, random);
            DecayedCounts c = null;
            for (long[] e : events) {
                c = c == null ? DecayedCounts.first(e[0], e[1]) : c.plus(e[0], e[1], DAY);
            }
            DecayedCounts now = c.at(asOf, DAY);
            assertThat(now.exposures()).isCloseTo(expectedExposures, within(1e-9 * expectedExposures));
            assertThat(now.clicks()).isCloseTo(expectedClicks, within(1e-9 * expectedExposures));
        }
    }

    @Test
    void rateIsTheSameAtEveryTime() {
        DecayedCounts c = DecayedCounts.first(0, 1.0).plus(40_000_000, 0.0, DAY).plus(10_000_000, 1.0, DAY);
        assertThat(c.at(900_000_000, DAY).clicks() / c.at(900_000_000, DAY).exposures())
                .isCloseTo(c.rate(), within(1e-12));
    }

    @Test
    void badValuesAreRejectedWithTheFieldName() {
        DecayedCounts c = DecayedCounts.first(0, 1.0);
        assertThatThrownBy(() -> c.plus(1, Double.NaN, DAY))
                .isInstanceOf(InvalidCtrInputException.class)
                .hasMessageContaining("engagement=NaN");
        assertThatThrownBy(() -> c.plus(1, -0.5, DAY)).hasMessageContaining("engagement=-0.5");
        assertThatThrownBy(() -> new DecayedCounts(0, -1, 0)).hasMessageContaining("exposures=-1.0");
        assertThatThrownBy(() -> new DecayedCounts(0, 1, Double.NaN)).hasMessageContaining("clicks=NaN");
        assertThatThrownBy(() -> new DecayedCounts(0, 1, 2)).hasMessageContaining("exceed exposures");
        assertThatThrownBy(() -> c.at(-5, DAY)).hasMessageContaining("before the latest event");
    }
}
