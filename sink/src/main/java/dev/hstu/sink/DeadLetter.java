package dev.hstu.sink;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A rejected input record: the raw payload exactly as it arrived, why it was rejected, and where it came from,
 * so that nothing is lost and the record can be repaired and replayed.
 *
 * <p>The payload is kept as text when it is valid UTF-8 ({@code raw}) and as Base64 otherwise
 * ({@code raw_base64}), so that the dead-letter topic stays readable without ever mangling bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        @JsonProperty("reason") String reason,
        @JsonProperty("raw") String raw,
        @JsonProperty("raw_base64") String rawBase64,
        @JsonProperty("source_topic") String sourceTopic,
        @JsonProperty("source_partition") int sourcePartition,
        @JsonProperty("source_offset") long sourceOffset,
        @JsonProperty("rejected_at") long rejectedAtMs) {

    /** Builds a dead letter for {@code payload}, choosing the text or Base64 form as described above. */
    public static DeadLetter of(
            String reason, byte[] payload, String topic, int partition, long offset, long rejectedAtMs) {
        String text = null;
        String base64 = null;
        if (payload != null) {
            text = strictUtf8(payload);
            if (text == null) {
                base64 = Base64.getEncoder().encodeToString(payload);
            }
        }
        return new DeadLetter(reason, text, base64, topic, partition, offset, rejectedAtMs);
    }

    /** The payload bytes as they arrived (null when the record had no value). */
    public byte[] payload() {
        if (raw != null) {
            return raw.getBytes(StandardCharsets.UTF_8);
        }
        return rawBase64 == null ? null : Base64.getDecoder().decode(rawBase64);
    }

    private static String strictUtf8(byte[] payload) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
