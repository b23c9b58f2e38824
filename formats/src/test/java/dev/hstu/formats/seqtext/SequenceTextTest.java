package dev.hstu.formats.seqtext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceTextTest {
    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final List<InputReject> rejects = new ArrayList<>();
    private final SequenceText.Handler handler = new SequenceText.Handler() {
        @Override
        public void items(long line, long user, long[] items) {
            lines.add(line + ": " + Long.toUnsignedString(user) + " " + Arrays.toString(items));
        }

        @Override
        public void reject(InputReject reject) {
            rejects.add(reject);
        }
    };

    @Test
    void eachLineIsAUserAndItsItemsInFileOrder() throws IOException {
        Path file = dir.resolve("Beauty.txt");
        Files.writeString(file, "1 1 2 3 4 5\n2 6 7\t8  9 \n\n   \n3 4\r\n18446744073709551615 10\n");
        SequenceText.read(file, handler);
        assertThat(lines)
                .containsExactly(
                        "1: 1 [1, 2, 3, 4, 5]", "2: 2 [6, 7, 8, 9]", "5: 3 [4]", "6: 18446744073709551615 [10]");
        assertThat(rejects).isEmpty();
    }

    @Test
    void pairsPerLineReadAsTheSameEvents() throws IOException {
        Path file = dir.resolve("pairs.txt");
        Files.writeString(file, "1 1\n1 2\n2 6\n1 3\n");
        SequenceText.read(file, handler);
        assertThat(lines).containsExactly("1: 1 [1]", "2: 1 [2]", "3: 2 [6]", "4: 1 [3]");
    }

    @Test
    void malformedLinesAreRejectedWithTheirNumberAndReadingGoesOn() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "1 1 2\n7\nx 1 2\n2 3 -4\n3 4 5.0\n4 99999999999999999999\n5 6\n");
        SequenceText.read(file, handler);
        assertThat(lines).containsExactly("1: 1 [1, 2]", "7: 5 [6]");
        assertThat(rejects.stream().map(InputReject::toString))
                .containsExactly(
                        file + ":2: a line must be a user id and at least one item id, got one field",
                        file + ":3: user id 'x' is not an unsigned 64-bit integer",
                        file + ":4: item id (field 3) '-4' is not an unsigned 64-bit integer",
                        file + ":5: item id (field 3) '5.0' is not an unsigned 64-bit integer",
                        file + ":6: item id (field 2) '99999999999999999999' is not an unsigned 64-bit integer");
    }

    @Test
    void aRefusingHandlerStopsAtTheFirstBadLineNamingIt() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "1 1 2\n2 a\n");
        assertThatThrownBy(() -> SequenceText.read(file, new SequenceText.Handler() {
                    @Override
                    public void items(long line, long user, long[] items) {}

                    @Override
                    public void reject(InputReject reject) throws IOException {
                        throw reject.toException();
                    }
                }))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + ":2: item id (field 2) 'a' is not an unsigned 64-bit integer");
    }

    @Test
    void whatIsWrittenReadsBack() throws IOException {
        Path file = dir.resolve("out.txt");
        long written = SequenceText.write(
                file, List.of(new SequenceText.Line(3, new long[] {1, 2}), new SequenceText.Line(-1L, new long[] {7})));
        assertThat(written).isEqualTo(3);
        SequenceText.read(file, handler);
        assertThat(lines).containsExactly("1: 3 [1, 2]", "2: 18446744073709551615 [7]");
        assertThatThrownBy(() -> SequenceText.write(file, List.of(new SequenceText.Line(1, new long[0]))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(file)).isEqualTo("3 1 2\n18446744073709551615 7\n");
    }
}
