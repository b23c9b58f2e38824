package dev.hstu.jobs.event;

import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Inputs for the event parser's fuzz properties (the edits of {@code formats}' fuzz {@code Mutations}, whose test classes
 * this module does not see): a valid input with a few bytes flipped, inserted, deleted or overwritten,
 * or cut short, so that most tries get past the first check of a format and reach the deeper ones, which random bytes
 * seldom do.
 */
final class ByteMutations {

    private ByteMutations() {}

    private enum Kind {
        FLIP,
        INSERT,
        DELETE,
        OVERWRITE,
        TRUNCATE
    }

    private record Edit(Kind kind, int position, byte value) {}

    /**
     * @param valid a valid input of the reader under test
     * @return that input after one to eight edits
     */
    static Arbitrary<byte[]> of(byte[] valid) {
        Arbitrary<Edit> edit = Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, Math.max(0, valid.length + 8)),
                        Arbitraries.oneOf(
                                Arbitraries.bytes(),
                                // the bytes that matter to text formats and to little-endian headers
                                Arbitraries.of(
                                        (byte) 0,
                                        (byte) -1,
                                        (byte) 0x7f,
                                        (byte) 0x80,
                                        (byte) '\n',
                                        (byte) '\r',
                                        (byte) ',',
                                        (byte) '"',
                                        (byte) '[',
                                        (byte) ']',
                                        (byte) '{',
                                        (byte) '-',
                                        (byte) '9',
                                        (byte) 0xc3,
                                        (byte) 0xe2)))
                .as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(8).map(edits -> apply(valid, edits));
    }

    private static byte[] apply(byte[] valid, List<Edit> edits) {
        byte[] bytes = valid.clone();
        for (Edit e : edits) {
            int at = bytes.length == 0 ? 0 : e.position() % (bytes.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1);
            switch (e.kind()) {
                case FLIP -> {
                    if (at < bytes.length) {
                        bytes[at] ^= (byte) (1 << (Byte.toUnsignedInt(e.value()) % 8));
                    }
                    continue;
                }
                case OVERWRITE -> {
                    if (at < bytes.length) {
                        bytes[at] = e.value();
                    }
                    continue;
                }
                case INSERT -> {
                    out.write(bytes, 0, at);
                    out.write(e.value());
                    out.write(bytes, at, bytes.length - at);
                }
                case DELETE -> {
                    if (at == bytes.length) {
                        continue;
                    }
                    out.write(bytes, 0, at);
                    out.write(bytes, at + 1, bytes.length - at - 1);
                }
                case TRUNCATE -> out.write(bytes, 0, at);
            }
            bytes = out.toByteArray();
        }
        return bytes;
    }
}
