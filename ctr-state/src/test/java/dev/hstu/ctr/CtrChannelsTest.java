package dev.hstu.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CtrChannelsTest {

    private static CtrFeature feature(CtrSide side, double exposures, double ctrZ) {
        return new CtrFeature(side, 1, 0, 0, exposures, exposures / 2, 0.5, ctrZ, 0, 1);
    }

    @Test
    void zScoresAreClippedAndCountsScaledSoThatTenThousandExposuresReadOne() {
        float[] channels = CtrChannels.of(feature(CtrSide.USER, 10_000, 1.25), feature(CtrSide.ITEM, 1, -40));

        assertThat(channels).hasSize(CtrChannels.COUNT);
        assertThat(channels[0]).isEqualTo(1.25f);
        assertThat(channels[1]).as("an outlier key cannot dominate the input").isEqualTo(-5f);
        assertThat(channels[2]).isCloseTo(1f, within(1e-6f));
        assertThat(channels[3]).isCloseTo((float) (Math.log(2) / Math.log1p(10_000)), within(1e-6f));
        assertThat(CtrChannels.exposures(channels[3])).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void aKeyWithoutCountsContributesZeros() {
        float[] out = new float[6];
        out[0] = 9;
        CtrChannels.write(null, feature(CtrSide.ITEM, 3, 0.5), out, 1);

        assertThat(out).containsExactly(9f, 0f, 0.5f, 0f, (float) CtrChannels.count(3), 0f);
    }
}
