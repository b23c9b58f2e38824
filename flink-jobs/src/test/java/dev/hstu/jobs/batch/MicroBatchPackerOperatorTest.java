package dev.hstu.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.jobs.sequence.TrainingSequence;
import dev.hstu.model.data.MicroBatch;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class MicroBatchPackerOperatorTest {

    private static TrainingSequence sequence(long user) {
        return new TrainingSequence(user, new long[] {user, user + 1}, new int[2], new long[] {1, 2}, 0);
    }

    private static OneInputStreamOperatorTestHarness<TrainingSequence, MicroBatch> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new MicroBatchPackerOperator(3, 1000, 50));
    }

    @Test
    void emitsFullBatchesThenTheRestAfterTheDelay() throws Exception {
        try (var h = harness()) {
            h.open();
            for (long u = 1; u <= 4; u++) {
                h.processElement(sequence(u), 0);
            }
            assertThat(h.extractOutputValues()).extracting(MicroBatch::size).containsExactly(3);

            h.setProcessingTime(1001);

            assertThat(h.extractOutputValues()).extracting(MicroBatch::size).containsExactly(3, 1);
            assertThat(h.extractOutputValues().get(1).userIds()).containsExactly(4);
        }
    }

    @Test
    void flushesBeforeEveryCheckpointBarrierAndAtTheEndOfInput() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(sequence(1), 0);
            h.prepareSnapshotPreBarrier(1);
            h.processElement(sequence(2), 0);
            h.endInput();

            assertThat(h.extractOutputValues()).extracting(MicroBatch::size).containsExactly(1, 1);
        }
    }
}
