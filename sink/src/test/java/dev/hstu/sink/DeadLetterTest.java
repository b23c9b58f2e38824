package dev.hstu.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
        assertThat(back.payload()).isEqualTo(payload);
    }

    @Test
    void keepsInvalidUtf8AsBase64SoNoByteIsLost() {
        byte[] payload = {(byte) 0xff, (byte) 0xfe, 0x7b, 0x00};
        DeadLetter letter = DeadLetter.of("not UTF-8", payload, "interactions", 0, 7L, 1000L);

        DeadLetter back = JsonCodec.fromBytes(JsonCodec.toBytes(letter), DeadLetter.class);

        assertThat(back.raw()).isNull();
        assertThat(back.payload()).isEqualTo(payload);
    }

    @Test
    void recommendationJsonUsesSnakeCaseFieldsAndRoundTrips() {
        Recommendation rec = new Recommendation(7L, new long[] {3, 1}, new float[] {0.9f, 0.5f}, 4L, 100L, 200L);

        String json = new String(JsonCodec.toBytes(rec), StandardCharsets.UTF_8);

        assertThat(json).contains("\"user_id\":7", "\"model_version\":4", "\"items\":[3,1]");
        assertThat(JsonCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8), Recommendation.class))
                .isEqualTo(rec);
    }
}
