package dev.hstu.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void keepsTextPayloadReadableAndRoundTripsThroughJson() {
        byte[] payload = "{\"user_id\": oops".getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetter.of("malformed JSON", payload, "interactions", 1, 42L, 1000L);

        DeadLetter back = JsonCodec.fromBytes(JsonCodec.toBytes(letter), DeadLetter.class);

        assertThat(back).isEqualTo(letter);
        assertThat(back.raw()).isEqualTo("{\"user_id\": oops");
        assertThat(back.rawBase64()).isNull();
        assertThat(back.truncated()).isFalse();
        assertThat(back.payloadBytes()).isEqualTo(payload.length);
        assertThat(back.excerpt()).isEqualTo(payload);
    }

    @Test
    void keepsInvalidUtf8AsBase64SoNoByteIsLost() {
        byte[] payload = {(byte) 0xff, (byte) 0xfe, 0x7b, 0x00};
        DeadLetter letter = DeadLetter.of("not UTF-8", payload, "interactions", 0, 7L, 1000L);

        DeadLetter back = JsonCodec.fromBytes(JsonCodec.toBytes(letter), DeadLetter.class);

        assertThat(back.raw()).isNull();
        assertThat(back.excerpt()).isEqualTo(payload);
        assertThat(back.truncated()).isFalse();
    }

    @Test
    void controlBytesThatJsonEscapesSixfoldStayBelowTheBound() throws Exception {
        byte[] payload = new byte[300_000];
        Arrays.fill(payload, (byte) 1);

        DeadLetter letter = DeadLetter.of("payload too large", payload, "interactions", 0, 3L, 1000L, 16_384);

        assertThat(JsonCodec.toBytes(letter).length).isLessThanOrEqualTo(16_384);
        assertThat(letter.truncated()).isTrue();
        assertThat(letter.payloadBytes()).isEqualTo(300_000);
        assertThat(letter.payloadSha256()).isEqualTo(sha256(payload));
        byte[] excerpt = letter.excerpt();
        assertThat(excerpt.length).as("most of the bound is used").isGreaterThan(16_384 / 6 / 2);
        assertThat(excerpt).isEqualTo(Arrays.copyOf(payload, excerpt.length));
    }

    @Test
    void randomBytesBecomeABase64PrefixBelowTheBound() throws Exception {
        byte[] payload = new byte[800_000];
        new SplittableRandom(1).nextBytes(payload);

        DeadLetter letter = DeadLetter.of("payload too large", payload, "interactions", 1, 9L, 1000L, 4096);

        assertThat(JsonCodec.toBytes(letter).length).isLessThanOrEqualTo(4096);
        assertThat(letter.rawBase64()).isNotEmpty();
        assertThat(letter.payloadSha256()).isEqualTo(sha256(payload));
        byte[] excerpt = letter.excerpt();
        assertThat(excerpt).isEqualTo(Arrays.copyOf(payload, excerpt.length));
    }

    @Test
    void aTextPrefixIsNotCutInsideACharacterAndALongReasonIsCut() {
        String text = "é".repeat(20_000); // two bytes each
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);

        DeadLetter letter = DeadLetter.of("x".repeat(50_000), payload, "interactions", 0, 0L, 0L, 8192);

        assertThat(JsonCodec.toBytes(letter).length).isLessThanOrEqualTo(8192);
        assertThat(letter.raw()).as("still text").isNotEmpty().matches("é+");
        assertThat(letter.reason()).hasSizeLessThan(1100).startsWith("xxx").endsWith("...");
    }

    @Test
    void refusesABoundTooSmallForAnyLetter() {
        assertThatThrownBy(() -> DeadLetter.of("r", new byte[1], "t", 0, 0L, 0L, 100))
                .hasMessageContaining("at least 4096");
    }

    @Test
    void recommendationJsonUsesSnakeCaseFieldsAndRoundTrips() {
        Recommendation rec = new Recommendation(7L, new long[] {3, 1}, new float[] {0.9f, 0.5f}, 4L, 100L, 200L);

        String json = new String(JsonCodec.toBytes(rec), StandardCharsets.UTF_8);

        assertThat(json).contains("\"user_id\":7", "\"model_version\":4", "\"items\":[3,1]");
        assertThat(JsonCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8), Recommendation.class))
                .isEqualTo(rec);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
