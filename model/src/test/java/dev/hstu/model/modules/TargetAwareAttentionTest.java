package dev.hstu.model.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.AttentionNorm;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.PackedBatch;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The target-aware mask of ranking batches: candidates see the history and themselves, not each other, and the
 * history never sees a candidate; so N candidates in one pass score as N single-candidate passes (M-FALCON).
 */
class TargetAwareAttentionTest {

    private static final int D = 16;
    private static final int[] HISTORY_ITEMS = {5, 9, 13, 2, 40};
    private static final int[] HISTORY_ACTIONS = {0, 1, 2, 3, 1};
    private static final long[] HISTORY_TIMES = {100, 160, 400, 9_000, 9_100};
    private static final int[] CANDIDATE_ITEMS = {7, 21, 33, 44};
    private static final int[] CANDIDATE_LABELS = {1, 0, 3, 2};
    private static final long[] CANDIDATE_TIMES = {50_000, 50_030, 51_000, 90_000};

    static Stream<Arguments> encoders() {
        HstuConfig tiny = TestBatches.tiny();
        return Stream.of(
                Arguments.of("HSTU, valid-keys norm", tiny),
                Arguments.of("HSTU, max-length norm", tiny.with("stu.attentionNorm", AttentionNorm.MAX_LEN)),
                Arguments.of("HSTU, time features", tiny.with("features.time", true)),
                Arguments.of("Transformer", tiny.with("encoder.type", EncoderType.TRANSFORMER)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void changingOneCandidateNeverChangesAnotherCandidateOrTheHistory(String name, HstuConfig config) {
        try (HstuModel model = HstuModel.create(config.validate())) {
            float[] base = model.encodeSequences(sample(CANDIDATE_ITEMS, CANDIDATE_LABELS, CANDIDATE_TIMES));
            int changed = 2;
            int[] items = CANDIDATE_ITEMS.clone();
            items[changed] = 11;
            long[] times = CANDIDATE_TIMES.clone();
            times[changed] = 400_000;
            float[] other = model.encodeSequences(sample(items, CANDIDATE_LABELS, times));
            int h = HISTORY_ITEMS.length;
            for (int event = 0; event < h + items.length; event++) {
                if (event == h + changed) {
                    assertThat(row(other, event)).isNotEqualTo(row(base, event));
                } else {
                    assertThat(row(other, event)).as("event %d", event).containsExactly(row(base, event));
                }
            }
            // the history encodes exactly as it does without any candidate
            float[] alone = model.encodeSequences(TestBatches.single(HISTORY_ITEMS, HISTORY_ACTIONS, HISTORY_TIMES));
            assertThat(Arrays.copyOf(base, h * D)).containsExactly(alone, within(1e-6f));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void aCandidatesLabelIsNeverAnInput(String name, HstuConfig config) {
        try (HstuModel model = HstuModel.create(config.validate())) {
            float[] base = model.encodeSequences(sample(CANDIDATE_ITEMS, CANDIDATE_LABELS, CANDIDATE_TIMES));
            float[] relabelled =
                    model.encodeSequences(sample(CANDIDATE_ITEMS, new int[] {3, 3, 0, 1}, CANDIDATE_TIMES));
            assertThat(relabelled).containsExactly(base);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void onePassOverNCandidatesEqualsNSingleCandidatePasses(String name, HstuConfig config) {
        try (HstuModel model = HstuModel.create(config.validate())) {
            int h = HISTORY_ITEMS.length;
            float[] together = model.encodeSequences(sample(CANDIDATE_ITEMS, CANDIDATE_LABELS, CANDIDATE_TIMES));
            for (int c = 0; c < CANDIDATE_ITEMS.length; c++) {
                float[] single = model.encodeSequences(sample(
                        new int[] {CANDIDATE_ITEMS[c]}, new int[] {CANDIDATE_LABELS[c]}, new long[] {CANDIDATE_TIMES[c]
                        }));
                assertThat(row(together, h + c)).as("candidate %d", c).containsExactly(row(single, h), within(1e-5f));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void aRowWithoutHistoryIsRefused(String name, HstuConfig config) {
        try (HstuModel model = HstuModel.create(config.validate())) {
            PackedBatch onlyCandidates = TestBatches.single(CANDIDATE_ITEMS, CANDIDATE_LABELS, CANDIDATE_TIMES)
                    .withColumn(ColumnValues.of(FeatureColumn.NUM_TARGETS_COLUMN, new int[] {4}));
            assertThatThrownBy(() -> model.encodeSequences(onlyCandidates))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("numTargets of sequence 0 must be in [0, 3]");
        }
    }

    /** @return the history followed by the given candidates, as one ranking row */
    static PackedBatch sample(int[] items, int[] labels, long[] times) {
        int h = HISTORY_ITEMS.length;
        int n = h + items.length;
        int[] allItems = Arrays.copyOf(HISTORY_ITEMS, n);
        int[] allActions = Arrays.copyOf(HISTORY_ACTIONS, n);
        long[] allTimes = Arrays.copyOf(HISTORY_TIMES, n);
        System.arraycopy(items, 0, allItems, h, items.length);
        System.arraycopy(labels, 0, allActions, h, items.length);
        System.arraycopy(times, 0, allTimes, h, items.length);
        return TestBatches.single(allItems, allActions, allTimes)
                .withColumn(ColumnValues.of(FeatureColumn.NUM_TARGETS_COLUMN, new int[] {items.length}));
    }

    private static float[] row(float[] rows, int event) {
        return Arrays.copyOfRange(rows, event * D, (event + 1) * D);
    }
}
