package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.LeaveOneOutSplit;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingWindowsTest {

    @Test
    void everyTrainingTargetIsTrainedExactlyOnceWithinMaxSeqLen() {
        ItemVocabulary vocabulary = new ItemVocabulary(1000);
        UserSequences.Collector collector = new UserSequences.Collector();
        int[] lengths = {3, 12, 40, 41, 97};
        for (int u = 0; u < lengths.length; u++) {
            for (int i = 0; i < lengths[u]; i++) {
                collector.add(u, 100 + i, 0, 1_000L + i);
            }
        }
        UserSequences sequences = collector.build(vocabulary, vocabulary::indexOrAssign);
        LeaveOneOutSplit split = new LeaveOneOutSplit(sequences);
        int[] users = {0, 1, 2, 3, 4};
        List<TrainingWindows.Window> windows = TrainingWindows.of(split, users, 20, 8);
        PackedBatch batch = TrainingWindows.batch(split, windows, PackedBatch.builder());

        int[][] trained = new int[users.length][];
        for (int u : users) {
            trained[u] = new int[split.trainingLength(u)];
        }
        for (int w = 0; w < windows.size(); w++) {
            TrainingWindows.Window window = windows.get(w);
            assertThat(batch.length(w)).isLessThanOrEqualTo(20);
            for (int p = batch.firstTarget()[w]; p < batch.length(w) - 1; p++) {
                trained[window.user()][window.from() + p]++;
            }
        }
        for (int u : users) {
            for (int p = 0; p < split.trainingLength(u) - 1; p++) {
                assertThat(trained[u][p]).as("user %d target at %d", u, p).isEqualTo(1);
            }
        }
        assertThat(batch.numTargetPositions())
                .isEqualTo((3 - 2 - 1) + (12 - 2 - 1) + (40 - 2 - 1) + (41 - 2 - 1) + (97 - 2 - 1));
    }

    @Test
    void denseFeaturesFollowTheirEventsThroughTheTimeSortAndIntoTheWindows() {
        ItemVocabulary vocabulary = new ItemVocabulary(1000);
        UserSequences.Collector collector = new UserSequences.Collector();
        // added newest first: the collector sorts by time, and each event's features must move with it
        for (int i = 29; i >= 0; i--) {
            collector.add(7, 100 + i, i % 2, 1_000L + i, new float[] {i, -i});
        }
        UserSequences sequences = collector.build(vocabulary, vocabulary::indexOrAssign);
        assertThat(sequences.denseDim()).isEqualTo(2);
        LeaveOneOutSplit split = new LeaveOneOutSplit(sequences);
        List<TrainingWindows.Window> windows = TrainingWindows.of(split, new int[] {0}, 10, 4);
        PackedBatch batch = TrainingWindows.batch(split, windows, sequences.newBuilder());

        assertThat(batch.denseDim()).isEqualTo(2);
        for (int w = 0; w < windows.size(); w++) {
            for (int p = 0; p < batch.length(w); p++) {
                int event = batch.offsets()[w] + p;
                int original = windows.get(w).from() + p;
                assertThat(vocabulary.idOf(batch.items()[event])).isEqualTo(100 + original);
                assertThat(batch.denseFeatures()[2 * event]).isEqualTo(original);
                assertThat(batch.denseFeatures()[2 * event + 1]).isEqualTo(-original);
            }
        }
        assertThatThrownBy(() -> collector.add(7, 1, 0, 1L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> collector.add(7, 1, 0, 1L, new float[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStrideOutsideTheWindowIsRejected() {
        LeaveOneOutSplit split =
                new LeaveOneOutSplit(new UserSequences.Collector().build(new ItemVocabulary(10), id -> 2));
        assertThatThrownBy(() -> TrainingWindows.of(split, new int[0], 20, 20))
                .hasMessage("windowStride must be in [1, maxSeqLen-1=19], got 20");
    }
}
