package dev.hstu.jobs.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The deliberately broken records the demo mixes into the stream, to show the dead-letter path at work. */
final class BadRecords {

    private BadRecords() {}

    /** One example of each kind of rejection, stamped around {@code nearTimestampMs}. */
    static List<byte[]> around(long nearTimestampMs) {
        long future = System.currentTimeMillis() + 10L * 24 * 3600 * 1000;
        return List.of(
                utf8("{\"user_id\": 1, \"item_id\": "),
                utf8("{\"item_id\": 1, \"action\": 1, \"ts\": " + nearTimestampMs + "}"),
                utf8("{\"user_id\": 1, \"item_id\": 1, \"action\": 1, \"ts\": -5}"),
                utf8("{\"user_id\": 1, \"item_id\": 1, \"action\": 1, \"ts\": " + future + "}"),
                utf8("{\"user_id\": \"abc\", \"item_id\": 1, \"ts\": " + nearTimestampMs + "}"),
                utf8("{\"user_id\": 1, \"item_id\": 1, \"action\": \"purchase\", \"ts\": " + nearTimestampMs + "}"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
