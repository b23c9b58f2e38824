package dev.hstu.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.jobs.config.ValidationSettings;
import dev.hstu.model.data.UserFeatureHashing;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {

    private static final long NOW = 1_700_000_000_000L;
    private final EventParser parser = new EventParser(EventRules.from(ValidationSettings.defaults()));

    private ParseResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void readsBackWhatEventJsonWritesIncludingIdsAbove2To63() {
        ParseResult r = parse(EventJson.write(new StringBuilder("stale"), -1L, 42, 3, 1_600_000_000_000L)
                .toString());

        assertThat(r.rejection()).isNull();
        assertThat(r.event()).isEqualTo(new InteractionEvent(-1L, 42, 3, 1_600_000_000_000L));
    }

    @Test
    void parsesNumbersStringsAndNamedActionsAndSkipsFeatures() {
        ParseResult r = parse("{\"user_id\": 7, \"item_id\": \"42\", \"action\": \"click\", \"ts\": 1600000000000,"
                + " \"user_feat\": {\"a\": [1, 2, {\"b\": null}]}, \"mm_emb\": {\"81\": [0.1, 0.2]}}");

        assertThat(r.rejection()).isNull();
        assertThat(r.event()).isEqualTo(new InteractionEvent(7, 42, 1, 1_600_000_000_000L));
    }

    @Test
    void actionDefaultsToExposureAndAcceptsBitmasks() {
        assertThat(parse("{\"user_id\":1,\"item_id\":2,\"ts\":1600000000000}")
                        .event()
                        .action())
                .isZero();
        assertThat(parse("{\"user_id\":1,\"item_id\":2,\"action\":5,\"ts\":1600000000000}")
                        .event()
                        .action())
                .isEqualTo(5);
    }

    @Test
    void acceptsUnsigned64BitIds() {
        ParseResult r = parse("{\"user_id\": 18446744073709551615, \"item_id\": \"9223372036854775808\","
                + " \"ts\": 1600000000000}");

        assertThat(Long.toUnsignedString(r.event().userId())).isEqualTo("18446744073709551615");
        assertThat(Long.toUnsignedString(r.event().itemId())).isEqualTo("9223372036854775808");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"user_id\": 1, \"item_id\": | malformed JSON",
                "[1, 2, 3] | malformed JSON: expected an object",
                "{\"user_id\":1,\"item_id\":2,\"ts\":1600000000000} trailing | malformed JSON",
                "{\"item_id\":2,\"ts\":1600000000000} | missing user_id",
                "{\"user_id\":1,\"ts\":1600000000000} | missing item_id",
                "{\"user_id\":1,\"item_id\":2} | missing ts",
                "{\"user_id\":-1,\"item_id\":2,\"ts\":1600000000000} | bad user_id: -1",
                "{\"user_id\":\"abc\",\"item_id\":2,\"ts\":1600000000000} | bad user_id: \"abc\"",
                "{\"user_id\":null,\"item_id\":2,\"ts\":1600000000000} | bad user_id: null",
                "{\"user_id\":1,\"item_id\":2.5,\"ts\":1600000000000} | bad item_id: 2.5",
                "{\"user_id\":1,\"item_id\":2,\"ts\":-5} | bad ts: -5 is before",
                "{\"user_id\":1,\"item_id\":2,\"ts\":\"yesterday\"} | bad ts: \"yesterday\"",
                "{\"user_id\":1,\"item_id\":2,\"ts\":1800000000000} | more than 86400000 ms in the future",
                "{\"user_id\":1,\"item_id\":2,\"action\":\"purchase\",\"ts\":1600000000000} | bad action: \"purchase\"",
                "{\"user_id\":1,\"item_id\":2,\"action\":16,\"ts\":1600000000000} | bad action: 16",
            })
    void rejectsBadInputWithAReasonNamingTheField(String json, String reason) {
        ParseResult r = parse(json);

        assertThat(r.isValid()).isFalse();
        assertThat(r.rejection()).contains(reason.trim());
    }

    @Test
    void rejectsEmptyAndOversizedPayloads() {
        assertThat(parser.parse(new byte[0], NOW).rejection()).isEqualTo("empty payload");
        assertThat(parser.parse(null, NOW).rejection()).isEqualTo("empty payload");
        byte[] big = new byte[70_000];
        assertThat(parser.parse(big, NOW).rejection()).startsWith("payload too large: 70000 bytes");
    }

    @Test
    void userFeaturesBecomeSortedHashedKeysWhenTheModelTakesThem() {
        EventParser reading = new EventParser(EventRules.from(ValidationSettings.defaults(), true));
        ParseResult r = reading.parse(
                ("{\"user_id\": 7, \"item_id\": 42, \"ts\": 1600000000000, \"user_feat\":"
                                + " {\"103\": 5, \"106\": [1, \"2\", 1], \"107\": null}}")
                        .getBytes(StandardCharsets.UTF_8),
                NOW);

        assertThat(r.rejection()).isNull();
        long[] expected = java.util.stream.LongStream.of(
                        UserFeatureHashing.key(103, 5), UserFeatureHashing.key(106, 1), UserFeatureHashing.key(106, 2))
                .sorted()
                .toArray();
        assertThat(r.event().userFeatures()).containsExactly(expected);
        assertThat(reading.parse(
                                "{\"user_id\":1,\"item_id\":2,\"ts\":1600000000000}".getBytes(StandardCharsets.UTF_8),
                                NOW)
                        .event()
                        .userFeatures())
                .isNull();
        assertThat(parse("{\"user_id\": 7, \"item_id\": 42, \"ts\": 1600000000000, \"user_feat\": {\"103\": 5}}")
                        .event()
                        .userFeatures())
                .as("skipped when the model takes none")
                .isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"103\": 1.5} | bad user_feat: feature 103 is 1.5 (an int or [ints])",
                "{\"103\": \"abc\"} | bad user_feat: feature 103 is \"abc\" (an int or [ints])",
                "{\"103\": {\"x\": 1}} | bad user_feat: feature 103 is an object (an int or [ints])",
                "{\"103\": [1, [2]]} | bad user_feat: feature 103 has an array in its list (ints only)",
                "{\"age\": 3} | bad user_feat: feature id \"age\" is not an int",
                "[1, 2] | bad user_feat: an array (an object of feature id -> int or [ints])",
            })
    void badUserFeaturesAreRefusedWithTheFeatureAndValue(String userFeat, String reason) {
        EventParser reading = new EventParser(EventRules.from(ValidationSettings.defaults(), true));
        ParseResult r = reading.parse(
                ("{\"user_id\": 7, \"item_id\": 42, \"ts\": 1600000000000, \"user_feat\": " + userFeat + "}")
                        .getBytes(StandardCharsets.UTF_8),
                NOW);

        assertThat(r.event()).isNull();
        assertThat(r.rejection()).isEqualTo(reason);
    }
}
