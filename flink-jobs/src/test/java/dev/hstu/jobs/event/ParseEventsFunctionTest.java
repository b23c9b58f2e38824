package dev.hstu.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.jobs.config.ValidationSettings;
import dev.hstu.sink.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ParseEventsFunctionTest {

    @Test
    void validEventsGoDownstreamAndBadOnesBecomeDeadLettersWithTheirRawPayload() throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new ParseEventsFunction(EventRules.from(ValidationSettings.defaults()))))) {
            harness.open();
            // Future timestamps are judged against processing time, which the harness starts at 0.
            harness.setProcessingTime(1_700_000_000_000L);
            harness.processElement(raw("{\"user_id\":1,\"item_id\":2,\"action\":1,\"ts\":1600000000000}", 10), 0);
            harness.processElement(raw("{\"user_id\":1,", 11), 0);
            harness.processElement(new RawRecord(null, "interactions", 0, 12, 0), 0);

            assertThat(harness.extractOutputValues())
                    .containsExactly(new InteractionEvent(1, 2, 1, 1_600_000_000_000L));
            var letters = harness.getSideOutput(ParseEventsFunction.DEAD_LETTERS).stream()
                    .map(r -> (DeadLetter) r.getValue())
                    .toList();
            assertThat(letters).hasSize(2);
            assertThat(letters.get(0).reason()).startsWith("malformed JSON");
            assertThat(letters.get(0).raw()).isEqualTo("{\"user_id\":1,");
            assertThat(letters.get(0).sourceOffset()).isEqualTo(11);
            assertThat(letters.get(1).reason()).isEqualTo("empty payload");
        }
    }

    private static RawRecord raw(String json, long offset) {
        return new RawRecord(json.getBytes(StandardCharsets.UTF_8), "interactions", 0, offset, 0);
    }
}
