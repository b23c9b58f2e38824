package dev.hstu.sink;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A rejected input record: why it was rejected, where it came from, its size and SHA-256, and its payload or, when
 * that would not fit, the payload's first bytes ({@code truncated}), so that the record can be found, repaired and
 * replayed without a dead letter ever being larger than its topic accepts.
 *
 * <p>The serialised letter is never longer than the {@code maxBytes} it was built with: a whole copy of a large
 * payload would not be (JSON escapes a control byte as six, Base64 grows bytes by a third), the producer would
 * refuse it, and the job would restart on the same record forever. The excerpt is kept as text when it is valid
 * UTF-8 ({@code raw}) and as Base64 otherwise ({@code raw_base64}), so that the topic stays readable without ever
 * mangling bytes.
 *
 * @param payloadBytes  length of the whole payload (0 when the record had no value)
 * @param payloadSha256 hex SHA-256 of the whole payload (null when the record had no value)
 * @param truncated     true when {@code raw}/{@code raw_base64} hold only the payload's first bytes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        @JsonProperty("reason") String reason,
        @JsonProperty("raw") String raw,
        @JsonProperty("raw_base64") String rawBase64,
        @JsonProperty("payload_bytes") int payloadBytes,
        @JsonProperty("payload_sha256") String payloadSha256,
        @JsonProperty("truncated") boolean truncated,
        @JsonProperty("source_topic") String sourceTopic,
        @JsonProperty("source_partition") int sourcePartition,
        @JsonProperty("source_offset") long sourceOffset,
        @JsonProperty("rejected_at") long rejectedAtMs) {

    /** The default bound of a serialised dead letter ({@code kafka.deadLetterMaxBytes}). */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;

    /**
     * The smallest bound accepted: a letter with no excerpt and its reason cut to {@link #MIN_REASON_CHARS} always
     * fits (topic names are at most 249 plain characters; a reason character escapes to at most six).
     */
    public static final int MIN_MAX_BYTES = 4096;

    static final int MAX_REASON_CHARS = 1000;
    static final int MIN_REASON_CHARS = 200;

    /** Builds a dead letter bounded by {@link #DEFAULT_MAX_BYTES}. */
    public static DeadLetter of(
            String reason, byte[] payload, String topic, int partition, long offset, long rejectedAtMs) {
        return of(reason, payload, topic, partition, offset, rejectedAtMs, DEFAULT_MAX_BYTES);
    }

    /**
     * Builds a dead letter for {@code payload} whose JSON form is at most {@code maxBytes} long: the whole payload
     * when it fits, else as many of its first bytes as do.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is below {@link #MIN_MAX_BYTES}
     */
    public static DeadLetter of(
            String reason, byte[] payload, String topic, int partition, long offset, long rejectedAtMs, int maxBytes) {
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException(
                    "a dead letter needs at least " + MIN_MAX_BYTES + " bytes, got a bound of " + maxBytes);
        }
        int size = payload == null ? 0 : payload.length;
        String hash = payload == null ? null : sha256(payload);
        String why = cut(reason == null ? "unknown" : reason, MAX_REASON_CHARS);
        int excerpt = Math.min(size, maxBytes);
        boolean reasonShortened = false;
        while (true) {
            DeadLetter letter = withExcerpt(why, payload, excerpt, size, hash, topic, partition, offset, rejectedAtMs);
            int serialised = JsonCodec.toBytes(letter).length;
            if (serialised <= maxBytes) {
                return letter;
            }
            if (excerpt == 0) {
                if (reasonShortened) {
                    throw new IllegalStateException("a dead letter without excerpt is " + serialised
                            + " bytes, more than its bound of " + maxBytes);
                }
                why = cut(why, MIN_REASON_CHARS);
                reasonShortened = true;
            } else {
                // shrink in proportion to the overshoot, and by at least one byte, so the loop ends quickly
                excerpt = Math.min(excerpt - 1, (int) (excerpt * (maxBytes * 0.9 / serialised)));
                excerpt = Math.max(0, excerpt);
            }
        }
    }

    private static DeadLetter withExcerpt(
            String reason,
            byte[] payload,
            int limit,
            int size,
            String hash,
            String topic,
            int partition,
            long offset,
            long rejectedAtMs) {
        String text = null;
        String base64 = null;
        int kept = 0;
        if (payload != null && limit > 0) {
            kept = utf8Boundary(payload, limit);
            text = kept == 0 ? null : strictUtf8(payload, kept);
            if (text == null) {
                kept = limit;
                base64 = Base64.getEncoder().encodeToString(Arrays.copyOf(payload, kept));
            }
        }
        return new DeadLetter(reason, text, base64, size, hash, kept < size, topic, partition, offset, rejectedAtMs);
    }

    /** The kept bytes of the payload: all of it unless {@link #truncated()} (empty when nothing was kept). */
    public byte[] excerpt() {
        if (raw != null) {
            return raw.getBytes(StandardCharsets.UTF_8);
        }
        return rawBase64 == null ? new byte[0] : Base64.getDecoder().decode(rawBase64);
    }

    /** A cut that does not split a UTF-8 sequence (continuation bytes are 10xxxxxx), so a text prefix stays text. */
    private static int utf8Boundary(byte[] payload, int limit) {
        if (limit >= payload.length) {
            return payload.length;
        }
        int cut = limit;
        while (cut > 0 && limit - cut < 4 && (payload[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return cut;
    }

    private static String cut(String text, int chars) {
        if (text.length() <= chars) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
        return text.substring(0, end) + "...";
    }

    private static String sha256(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String strictUtf8(byte[] payload, int length) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
