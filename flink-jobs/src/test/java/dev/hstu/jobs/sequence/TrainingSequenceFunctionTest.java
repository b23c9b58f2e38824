package dev.hstu.jobs.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.jobs.event.InteractionEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The sequence state function on the real RocksDB state backend, through Flink's operator test harness. */
class TrainingSequenceFunctionTest {

    private static KeyedOneInputStreamOperatorTestHarness<Long, InteractionEvent, TrainingSequence> harness()
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TrainingSequenceFunction(4, 2, Duration.ofDays(1))),
                InteractionEvent::userId,
                Types.LONG);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        return harness;
    }

    private static InteractionEvent event(long user, long item, long ts) {
        return new InteractionEvent(user, item, 1, ts);
    }

    @Test
    void emitsEveryStrideAndKeepsTheLastNPerUser() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 1; i <= 7; i++) {
                h.processElement(event(1, 10 + i, i * 1000L), i * 1000L);
                h.processElement(event(2, 20 + i, i * 1000L), i * 1000L);
            }

            List<TrainingSequence> out = h.extractOutputValues();
            List<TrainingSequence> user1 =
                    out.stream().filter(s -> s.userId() == 1).toList();
            assertThat(user1).hasSize(3);
            assertThat(user1.get(0).items()).containsExactly(11, 12);
            assertThat(user1.get(2).items()).as("capped at N=4").containsExactly(13, 14, 15, 16);
            assertThat(user1.get(2).firstTarget()).isEqualTo(1);
            assertThat(out).filteredOn(s -> s.userId() == 2).hasSize(3);
        }
    }

    @Test
    void finalWatermarkFlushesWhatIsPending() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(event(1, 11, 1000), 1000);
            h.processElement(event(1, 12, 2000), 2000);
            h.processElement(event(1, 13, 3000), 3000);
            assertThat(h.extractOutputValues()).hasSize(1);

            h.processWatermark(Watermark.MAX_WATERMARK);

            List<TrainingSequence> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).items()).containsExactly(11, 12, 13);
            assertThat(out.get(1).firstTarget()).as("only 12 -> 13 is new").isEqualTo(1);
        }
    }

    @Test
    void sequenceStateSurvivesSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(event(1, 11, 1000), 1000);
            h.processElement(event(1, 12, 2000), 2000);
            h.processElement(event(1, 13, 3000), 3000);
            snapshot = h.snapshot(1L, 4000L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(event(1, 14, 4000), 4000);

            List<TrainingSequence> out = restored.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).items()).containsExactly(11, 12, 13, 14);
            assertThat(out.get(0).firstTarget()).isEqualTo(1);
        }
    }
}
