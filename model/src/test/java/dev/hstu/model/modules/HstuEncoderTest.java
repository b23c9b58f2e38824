package dev.hstu.model.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.AttentionNorm;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.NormType;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HstuEncoderTest {

    private static final int D = 16;

    @Test
    void outputHasOneUnitNormRowPerEventAndPadsOnlyToTheLongestSequence() {
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            PackedBatch batch = TestBatches.random(new SplittableRandom(1), new int[] {3, 7, 5}, 50);
            try (NDScope ignored = new NDScope()) {
                PaddedSequences padded = PaddedSequences.of(batch, model.config(), model.manager());
                NDArray out = model.forward(padded, false);
                assertThat(out.getShape().getShape()).containsExactly(3, 7, D);
            }
            float[] all = model.encodeSequences(batch);
            assertThat(all).hasSize(15 * D);
            for (int row = 0; row < 15; row++) {
                assertThat(norm(all, row)).isCloseTo(1.0, within(1e-5));
            }
            float[] queries = model.encodeQueries(batch);
            assertThat(queries).hasSize(3 * D);
            // the query of a sequence is its last event's output
            assertThat(Arrays.copyOfRange(queries, D, 2 * D))
                    .containsExactly(Arrays.copyOfRange(all, 9 * D, 10 * D), within(1e-6f));
        }
    }

    @ParameterizedTest
    @EnumSource(AttentionNorm.class)
    void changingALaterEventNeverChangesAnEarlierOutput(AttentionNorm attentionNorm) {
        HstuConfig config =
                TestBatches.tiny().with("stu.attentionNorm", attentionNorm).validate();
        try (HstuModel model = HstuModel.create(config)) {
            int[] items = {5, 9, 13, 2, 40, 7, 21, 33};
            int[] actions = {0, 1, 2, 3, 0, 1, 2, 3};
            long[] ts = {100, 160, 400, 9000, 9100, 50_000, 50_001, 900_000};
            float[] base = model.encodeSequences(TestBatches.single(items, actions, ts));
            int changed = 5;
            int[] items2 = items.clone();
            items2[changed] = 44;
            int[] actions2 = actions.clone();
            actions2[changed] = 2;
            long[] ts2 = ts.clone();
            ts2[changed] = 70_000;
            float[] other = model.encodeSequences(TestBatches.single(items2, actions2, ts2));
            assertThat(Arrays.copyOf(other, changed * D)).containsExactly(Arrays.copyOf(base, changed * D));
            assertThat(Arrays.copyOfRange(other, changed * D, (changed + 1) * D))
                    .isNotEqualTo(Arrays.copyOfRange(base, changed * D, (changed + 1) * D));
            // A prefix alone encodes exactly like the same prefix inside a longer sequence.
            float[] prefix = model.encodeSequences(TestBatches.single(
                    Arrays.copyOf(items, changed), Arrays.copyOf(actions, changed), Arrays.copyOf(ts, changed)));
            assertThat(prefix).containsExactly(Arrays.copyOf(base, changed * D), within(1e-6f));
        }
    }

    @Test
    void paddingNeverChangesValidOutputs() {
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            PackedBatch shortOne = TestBatches.random(new SplittableRandom(3), new int[] {4}, 50);
            PackedBatch longOne = TestBatches.random(new SplittableRandom(4), new int[] {17}, 50);
            float[] alone = model.encodeSequences(shortOne);
            PackedBatch together = PackedBatch.builder()
                    .addSequence(longOne.items(), longOne.actions(), longOne.timestamps(), 0, 17, 0)
                    .addSequence(shortOne.items(), shortOne.actions(), shortOne.timestamps(), 0, 4, 0)
                    .build();
            float[] padded = model.encodeSequences(together);
            assertThat(Arrays.copyOfRange(padded, 17 * D, 21 * D)).containsExactly(alone, within(1e-6f));
        }
    }

    @ParameterizedTest
    @EnumSource(NormType.class)
    void timeGapsChangeOutputsThroughTheRelativeBias(NormType normType) {
        HstuConfig config = TestBatches.tiny().with("stu.normType", normType).validate();
        try (HstuModel model = HstuModel.create(config)) {
            int[] items = {5, 9, 13, 2};
            int[] actions = {0, 0, 0, 0};
            float[] close = model.encodeQueries(TestBatches.single(items, actions, new long[] {0, 1, 2, 3}));
            float[] apart = model.encodeQueries(
                    TestBatches.single(items, actions, new long[] {0, 86_400, 10_000_000, 10_000_060}));
            assertThat(maxAbsDiff(close, apart)).isGreaterThan(1e-4f);

            // With both bias tables zeroed, time stops mattering: the bias was the only path.
            model.encoder().stu().layers().forEach(layer -> {
                layer.relativeBias().timeWeight().getArray().muli(0);
                layer.relativeBias().positionWeight().getArray().muli(0);
            });
            float[] closeNoBias = model.encodeQueries(TestBatches.single(items, actions, new long[] {0, 1, 2, 3}));
            float[] apartNoBias = model.encodeQueries(
                    TestBatches.single(items, actions, new long[] {0, 86_400, 10_000_000, 10_000_060}));
            assertThat(apartNoBias).containsExactly(closeNoBias, within(1e-7f));
            assertThat(maxAbsDiff(close, closeNoBias))
                    .as("position bias changes outputs too")
                    .isGreaterThan(1e-5f);
        }
    }

    @Test
    void withoutTheTimeBiasTimeGapsDoNotMatter() {
        HstuConfig config =
                TestBatches.tiny().with("stu.relativeTimeBias", false).validate();
        try (HstuModel model = HstuModel.create(config)) {
            int[] items = {5, 9, 13, 2};
            int[] actions = {0, 0, 0, 0};
            float[] close = model.encodeQueries(TestBatches.single(items, actions, new long[] {0, 1, 2, 3}));
            float[] apart = model.encodeQueries(
                    TestBatches.single(items, actions, new long[] {0, 86_400, 10_000_000, 10_000_060}));
            assertThat(apart).containsExactly(close, within(1e-7f));
            assertThat(model.encoder().stu().layers().get(0).relativeBias().timeWeight())
                    .isNull();
        }
    }

    @Test
    void timeFeaturesReadTheCalendarAndTheGapToThePreviousEventCausally() {
        HstuConfig config = TestBatches.tiny()
                .with("features.time", true)
                .with("stu.relativeTimeBias", false)
                .validate();
        try (HstuModel model = HstuModel.create(config)) {
            int[] items = {5, 9, 13, 2, 40, 7};
            int[] actions = {0, 1, 2, 3, 0, 1};
            long monday = 1_704_067_200L; // 2024-01-01T00:00Z, a Monday
            long[] ts = {monday, monday + 60, monday + 7_200, monday + 90_000, monday + 90_030, monday + 400_000};
            float[] base = model.encodeSequences(TestBatches.single(items, actions, ts));
            // Shift only event 3 by 5 hours: its hour and its gap change, and so does event 4's gap.
            long[] shifted = ts.clone();
            shifted[3] += 5 * 3_600;
            float[] other = model.encodeSequences(TestBatches.single(items, actions, shifted));
            assertThat(Arrays.copyOf(other, 3 * D)).containsExactly(Arrays.copyOf(base, 3 * D));
            assertThat(maxAbsDiff(Arrays.copyOfRange(other, 3 * D, 4 * D), Arrays.copyOfRange(base, 3 * D, 4 * D)))
                    .isGreaterThan(1e-4f);
            // Shifting every event by a whole week keeps every hour and every gap.
            long[] nextWeek = Arrays.stream(ts).map(t -> t + 7 * 86_400).toArray();
            assertThat(model.encodeSequences(TestBatches.single(items, actions, nextWeek)))
                    .containsExactly(base, within(1e-6f));
            // ... while shifting them by one hour changes the calendar rows only.
            long[] nextHour = Arrays.stream(ts).map(t -> t + 3_600).toArray();
            assertThat(maxAbsDiff(model.encodeSequences(TestBatches.single(items, actions, nextHour)), base))
                    .isGreaterThan(1e-4f);
        }
    }

    @Test
    void hourOfWeekCountsFromMondayMidnightUtc() {
        assertThat(PaddedSequences.hourOfWeek(0))
                .as("1970-01-01T00:00Z was a Thursday")
                .isEqualTo(3 * 24);
        assertThat(PaddedSequences.hourOfWeek(1_704_067_200L))
                .as("2024-01-01T00:00Z, Monday")
                .isZero();
        assertThat(PaddedSequences.hourOfWeek(1_704_067_200L + 6 * 86_400 + 23 * 3_600 + 3_599))
                .isEqualTo(167);
    }

    private static double norm(float[] rows, int row) {
        double s = 0;
        for (int i = 0; i < D; i++) {
            s += (double) rows[row * D + i] * rows[row * D + i];
        }
        return Math.sqrt(s);
    }

    static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
