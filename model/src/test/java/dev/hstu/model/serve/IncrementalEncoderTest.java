package dev.hstu.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.ActionEncoding;
import dev.hstu.model.config.AttentionNorm;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.GatingConfig;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.modules.features.GenreEmbedding;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The incremental query equals a full re-encode while the window is not full, for every option serving supports. */
class IncrementalEncoderTest {

    private static final int MAX_LEN = 20;

    static Stream<Arguments> configs() {
        HstuConfig tiny = TestBatches.tiny();
        return Stream.of(
                Arguments.of("tiny (valid-keys norm, time bias)", tiny),
                Arguments.of(
                        "max-len norm, no time bias",
                        tiny.with("stu.attentionNorm", AttentionNorm.MAX_LEN).with("stu.relativeTimeBias", false)),
                Arguments.of(
                        "3 layers, 1 head, wider",
                        tiny.with("stu.numLayers", 3)
                                .with("stu.numHeads", 1)
                                .with("stu.attentionDim", 12)
                                .with("stu.linearDim", 20)),
                Arguments.of(
                        "every per-event and per-sequence feature, gated",
                        tiny.with("features.actions.numActions", 8)
                                .with("features.actions.encoding", ActionEncoding.BITS)
                                .with("features.actions.bitWeights", List.of(1f, 0.5f, 2f))
                                .with("features.time", true)
                                .with("features.denseDim", 2)
                                .with("features.gating", GatingConfig.defaults())
                                .with("features.gating.reduction", 2)
                                .with("features.userFeatures.slots", 2)
                                .with("features.userFeatures.buckets", 7)
                                .with("features.genres.count", 3)));
    }

    /** A user's history with every column any of the configs reads. */
    private record History(int[] items, int[] actions, long[] timestamps, float[] dense, int[] genres) {

        static History random(SplittableRandom random, int n) {
            int[] items = new int[n];
            int[] actions = new int[n];
            long[] ts = new long[n];
            float[] dense = new float[2 * n];
            int[] genres = new int[n];
            long t = 1_600_000_000L + random.nextInt(1_000_000);
            for (int i = 0; i < n; i++) {
                items[i] = 2 + random.nextInt(48);
                actions[i] = random.nextInt(8);
                t += random.nextInt(3) == 0 ? 0 : random.nextInt(200_000); // repeated timestamps too
                ts[i] = t;
                dense[2 * i] = (float) random.nextGaussian();
                dense[2 * i + 1] = (float) random.nextGaussian();
                genres[i] = random.nextInt(8);
            }
            return new History(items, actions, ts, dense, genres);
        }

        /** Events {@code from..to-1} as one sequence, with the features the config reads. */
        PackedBatch window(HstuConfig config, int from, int to) {
            int dim = config.features().denseDim();
            int slots = config.features().userFeatureSlots();
            int numActions = config.features().actions().numActions();
            PackedBatch.Builder builder = PackedBatch.builder(dim, slots);
            for (int i = from; i < to; i++) {
                if (dim == 0) {
                    builder.addEvent(items[i], actions[i] % numActions, timestamps[i]);
                } else {
                    builder.addEvent(items[i], actions[i] % numActions, timestamps[i], dense, 2 * i);
                }
            }
            if (slots == 0) {
                builder.endSequence(0);
            } else {
                builder.endSequence(0, new long[] {11, 23}, 0);
            }
            PackedBatch batch = builder.build();
            return config.features().genres() == null
                    ? batch
                    : batch.withColumn(
                            ColumnValues.of(GenreEmbedding.GENRE_COLUMN, Arrays.copyOfRange(genres, from, to)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void eachAppendEqualsAFullReEncodeWhileTheWindowIsNotFull(String name, HstuConfig config) {
        SplittableRandom random = new SplittableRandom(name.hashCode());
        try (HstuModel model = HstuModel.create(config.validate())) {
            IncrementalEncoder incremental = new IncrementalEncoder(model);
            for (int user = 0; user < 2; user++) {
                History h = History.random(random, MAX_LEN);
                IncrementalEncoder.Encoded state = incremental.encode(h.window(config, 0, 1));
                assertClose(state.query(), model.encodeQueries(h.window(config, 0, 1)));
                for (int n = 2; n <= MAX_LEN; n++) {
                    PackedBatch prefix = h.window(config, 0, n);
                    state = incremental.append(state.cache(), prefix);
                    assertThat(state.incremental()).as("event %d", n).isTrue();
                    assertThat(state.cache().length()).isEqualTo(n);
                    assertClose(state.query(), model.encodeQueries(prefix));
                }
                long perEvent = (long) config.stu().numLayers()
                                * config.stu().numHeads()
                                * (config.stu().attentionDim() + config.stu().linearDim())
                                * Float.BYTES
                        + Integer.BYTES
                        + Long.BYTES;
                assertThat(state.cache().bytes()).isEqualTo(MAX_LEN * perEvent);
            }
        }
    }

    @Test
    void aSlidWindowOrAnotherHistoryIsReEncodedExactly() {
        HstuConfig config = TestBatches.tiny();
        History h = History.random(new SplittableRandom(3), MAX_LEN + 1);
        try (HstuModel model = HstuModel.create(config)) {
            IncrementalEncoder incremental = new IncrementalEncoder(model);
            IncrementalEncoder.Encoded full = incremental.encode(h.window(config, 0, MAX_LEN));
            // the kept window drops its oldest event: every position shifts, the cache no longer applies
            PackedBatch slid = h.window(config, 1, MAX_LEN + 1);
            IncrementalEncoder.Encoded next = incremental.append(full.cache(), slid);
            assertThat(next.incremental()).isFalse();
            assertClose(next.query(), model.encodeQueries(slid));

            History other = History.random(new SplittableRandom(4), 5);
            IncrementalEncoder.Encoded foreign = incremental.append(full.cache(), other.window(config, 0, 5));
            assertThat(foreign.incremental()).isFalse();
            assertClose(foreign.query(), model.encodeQueries(other.window(config, 0, 5)));
            assertThat(incremental.append(null, other.window(config, 0, 5)).incremental())
                    .isFalse();
        }
    }

    @Test
    void theTransformerBaselineAndBadSequencesAreRefused() {
        try (HstuModel model = HstuModel.create(TestBatches.tiny().with("encoder.type", EncoderType.TRANSFORMER))) {
            assertThatThrownBy(() -> new IncrementalEncoder(model)).hasMessageContaining("HSTU");
        }
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            IncrementalEncoder incremental = new IncrementalEncoder(model);
            History h = History.random(new SplittableRandom(5), MAX_LEN + 1);
            assertThatThrownBy(() -> incremental.encode(h.window(TestBatches.tiny(), 0, MAX_LEN + 1)))
                    .hasMessageContaining("1..20 events");
            PackedBatch two = TestBatches.random(new SplittableRandom(1), new int[] {2, 3}, 50);
            assertThatThrownBy(() -> incremental.encode(two)).hasMessageContaining("one sequence");
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i]))
                    .as("component %d: %s vs %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-5f);
        }
    }
}
