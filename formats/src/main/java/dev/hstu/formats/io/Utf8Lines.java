package dev.hstu.formats.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of a text file that should be UTF-8, split where {@link java.io.BufferedReader#readLine} splits them
 * ({@code \n}, {@code \r} or {@code \r\n}). A {@code BufferedReader} ends the whole read with a {@code
 * MalformedInputException} at the first byte that is not UTF-8, naming no line; here such a line is handed over
 * marked as not UTF-8, so a reader can refuse that one line with its number and read on.
 */
public final class Utf8Lines implements Closeable {

    /**
     * One line, without its terminator.
     *
     * @param number 1-based line number
     * @param text the line; when it is not UTF-8, decoded with replacement characters (for an excerpt only)
     * @param utf8 whether the line's bytes are valid UTF-8
     */
    public record Line(long number, String text, boolean utf8) {}

    private final InputStream in;
    private final CharsetDecoder strict = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buf = new byte[256];
    private long number;
    private boolean skipLineFeed;

    private Utf8Lines(InputStream in) {
        this.in = in;
    }

    /**
     * @param file the file
     * @return its lines, to close after reading
     * @throws IOException when the file cannot be opened
     */
    public static Utf8Lines open(Path file) throws IOException {
        return new Utf8Lines(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /**
     * @return the next line, or {@code null} at the end of the file
     * @throws IOException on a read error
     */
    public Line next() throws IOException {
        int n = 0;
        int b = in.read();
        if (skipLineFeed && b == '\n') {
            b = in.read();
        }
        skipLineFeed = false;
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n' && b != '\r') {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[n++] = (byte) b;
            b = in.read();
        }
        skipLineFeed = b == '\r';
        number++;
        try {
            return new Line(number, strict.decode(ByteBuffer.wrap(buf, 0, n)).toString(), true);
        } catch (CharacterCodingException e) {
            return new Line(number, new String(buf, 0, n, StandardCharsets.UTF_8), false);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
