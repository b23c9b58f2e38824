package dev.hstu.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.fuzz.Mutations;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The event parser over random bytes, mutated valid events and objects of the event's fields with values of every
 * JSON kind: each payload parses to an event or a rejection with a reason, never an exception, allocating no more
 * than a multiple of its size; and through {@link ParseEventsFunction} each record becomes exactly one event or one
 * dead letter within its bound.
 */
class EventParserFuzzTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final int DEAD_LETTER_MAX_BYTES = DeadLetter.MIN_MAX_BYTES;
    private static final EventRules RULES = new EventRules(64 * 1024, 60_000, 0, 255, true);
    private static final String VALID =
            "{\"user_id\": 18446744073709551615, \"item_id\": \"42\", \"action\": \"click\","
                    + " \"ts\": 1600000000000, \"user_feat\": {\"103\": 5, \"106\": [1, \"2\"], \"7\": null},"
                    + " \"item_feat\": {\"a\": [1.5, {\"b\": null}]}, \"mm_emb\": {\"81\": [0.1, 0.2]}}";
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final EventParser parser = new EventParser(RULES);

    @Provide
    Arbitrary<byte[]> mutated() {
        return Mutations.of(VALID.getBytes(StandardCharsets.UTF_8));
    }

    /** Objects of the event's own fields (and others) with any kind of value, so every field's checks are reached. */
    @Provide
    Arbitrary<byte[]> fieldObjects() {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of(
                        "null",
                        "true",
                        "-0",
                        "1e400",
                        "1.5",
                        "18446744073709551616",
                        "99999999999999999999999",
                        "\"click\"",
                        "\"IMPRESSION \"",
                        "\"\"",
                        "\" 7 \"",
                        "\"-1\"",
                        "\"\\u0000\"",
                        "\"\\ud800\""),
                Arbitraries.strings()
                        .ofMaxLength(30)
                        .map(s -> JsonCodec.MAPPER.valueToTree(s).toString()));
        Arbitrary<String> list = scalar.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(
                        Arbitraries.of("103", " 7", "x", "", "2147483648", "-1"), Arbitraries.oneOf(scalar, list))
                .as((k, v) -> "\"" + k + "\": " + v)
                .list()
                .ofMaxSize(4)
                .map(l -> "{" + String.join(",", l) + "}");
        Arbitrary<String> value = Arbitraries.oneOf(scalar, list, object);
        return Combinators.combine(
                        Arbitraries.of("user_id", "item_id", "action", "ts", "user_feat", "item_feat", "other"), value)
                .as((k, v) -> "\"" + k + "\": " + v)
                .list()
                .ofMaxSize(3)
                // after a valid event's fields, which a repeated field overrides: each try judges one to three values
                .map(l -> ("{\"user_id\": 1, \"item_id\": 2, \"ts\": 1600000000000"
                                + l.stream().map(f -> ", " + f).collect(Collectors.joining())
                                + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void randomBytesAreRejectedWithAReason(@ForAll @Size(max = 512) byte[] payload) {
        parseChecked(payload);
    }

    @Property(tries = 2000)
    void mutatedEventsParseOrAreRejected(@ForAll("mutated") byte[] payload) {
        parseChecked(payload);
    }

    @Property(tries = 2000)
    void anyValueOfAnyFieldParsesOrIsRejected(@ForAll("fieldObjects") byte[] payload) {
        ParseResult result = parseChecked(payload);
        // well-formed JSON: a rejection names the field at fault
        if (!result.isValid()) {
            assertThat(result.rejection()).doesNotStartWith("malformed JSON");
        }
    }

    @Property(tries = 300)
    void everyRecordBecomesOneEventOrOneBoundedDeadLetter(
            @ForAll("mutated") byte[] mutated, @ForAll("fieldObjects") byte[] fields) throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new ParseEventsFunction(RULES, DEAD_LETTER_MAX_BYTES)))) {
            harness.open();
            harness.setProcessingTime(NOW);
            harness.processElement(new RawRecord(mutated, "interactions", 0, 1, 0), 0);
            harness.processElement(new RawRecord(fields, "interactions", 0, 2, 0), 0);
            List<DeadLetter> letters = harness.getSideOutput(ParseEventsFunction.DEAD_LETTERS) == null
                    ? List.of()
                    : harness.getSideOutput(ParseEventsFunction.DEAD_LETTERS).stream()
                            .map(r -> (DeadLetter) r.getValue())
                            .toList();
            assertThat(harness.extractOutputValues().size() + letters.size()).isEqualTo(2);
            for (DeadLetter letter : letters) {
                assertThat(JsonCodec.toBytes(letter).length).isLessThanOrEqualTo(DEAD_LETTER_MAX_BYTES);
                assertThat(letter.reason()).isNotBlank();
            }
        }
    }

    private ParseResult parseChecked(byte[] payload) {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        ParseResult result = parser.parse(payload, NOW);
        long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).isLessThanOrEqualTo((1 << 20) + 64L * payload.length);
        assertThat(result.isValid()).isEqualTo(result.rejection() == null);
        // the share of events and of each kind of rejection, in the report: the inputs reach every check
        Statistics.collect(result.isValid() ? "event" : result.rejection().split("[:(]")[0]);
        if (result.isValid()) {
            assertThat(result.event().timestampMs()).isBetween(RULES.minTimestampMs(), NOW + RULES.maxFutureSkewMs());
            assertThat(result.event().action()).isBetween(0, RULES.maxAction());
        } else {
            assertThat(result.rejection()).isNotBlank();
        }
        return result;
    }

    // Found by the fuzzing: an integer beyond 64 bits in ts or action made Jackson throw, so the dead letter said
    // "malformed JSON" of a well-formed payload instead of naming the field.
    @Test
    void integersBeyondSixtyFourBitsAreRejectedByField() {
        String base = "{\"user_id\": 1, \"item_id\": 2, \"ts\": 1600000000000, ";
        assertThat(parser.parse((base + "\"ts\": 18446744073709551616}").getBytes(StandardCharsets.UTF_8), NOW)
                        .rejection())
                .isEqualTo("bad ts: 18446744073709551616 (epoch milliseconds)");
        assertThat(parser.parse((base + "\"action\": -99999999999999999999}").getBytes(StandardCharsets.UTF_8), NOW)
                        .rejection())
                .startsWith("bad action: -99999999999999999999 (use");
    }
}
