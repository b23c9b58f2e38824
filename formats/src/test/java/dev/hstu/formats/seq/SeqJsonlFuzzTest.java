package dev.hstu.formats.seq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.formats.fuzz.Allocation;
import dev.hstu.formats.fuzz.Mutations;
import dev.hstu.formats.io.InputReject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seq.jsonl reader over random and mutated files: whatever the bytes, reading ends normally, every bad line
 * reaches the handler as an {@link InputReject} naming a line of the file, and reading allocates no more than a
 * multiple of the file's size.
 */
class SeqJsonlFuzzTest {

    private static final String VALID = String.join(
            "\n",
            "[[7, null, {\"103\": 2, \"106\": [1, 2]}, null, 0, null], [7, 100, null, {\"112\": 1}, 1, 1700000000],"
                    + " [null, 101, null, null, 0, 1700000100]]",
            "[[\"8\", \"18446744073709551615\", null, null, 2, 1700000200], [8, 102, null, null, 3, 1700000300]]",
            "",
            "[[9, 104, null, null, 1, 1700000400]]\r",
            "");

    @TempDir
    Path dir;

    @Provide
    Arbitrary<byte[]> mutated() {
        return Mutations.of(VALID.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void randomBytesEndInRejectsNotExceptions(@ForAll @Size(max = 512) byte[] bytes) throws Exception {
        readChecked(bytes);
    }

    @Property(tries = 1500)
    void mutatedFilesEndInRejectsNotExceptions(@ForAll("mutated") byte[] bytes) throws Exception {
        readChecked(bytes);
    }

    private static void readChecked(byte[] bytes) throws Exception {
        Path file = Files.createTempFile("seq-fuzz", ".jsonl");
        try {
            Files.write(file, bytes);
            List<InputReject> rejects = new ArrayList<>();
            long[] read = {0};
            long allocated = Allocation.of(() -> SeqJsonl.read(file, handler(rejects, read)));
            for (InputReject r : rejects) {
                assertThat(r.file()).isEqualTo(file);
                assertThat(r.line()).isBetween(1L, bytes.length + 1L);
                assertThat(r.reason()).isNotBlank();
                assertThat(r.excerpt().length()).isLessThanOrEqualTo(203);
            }
            assertThat(allocated).isLessThanOrEqualTo((1 << 20) + 64L * bytes.length);
        } finally {
            Files.delete(file);
        }
    }

    private static SeqJsonl.Handler handler(List<InputReject> rejects, long[] read) {
        return new SeqJsonl.Handler() {
            @Override
            public void interaction(long line, SeqJsonl.Interaction interaction) {
                assertThat(interaction.timestampSeconds()).isNotNegative();
                assertThat(interaction.action()).isNotNegative();
                read[0]++;
            }

            @Override
            public void reject(InputReject reject) {
                rejects.add(reject);
            }

            @Override
            public void userFeatures(long line, long user, JsonNode userFeatures) {
                assertThat(userFeatures.isObject()).isTrue();
            }
        };
    }

    // Found by the fuzzing: a byte that is not UTF-8 ended the whole read with a MalformedInputException naming no
    // line; now it is that line's reject and the lines around it still read.
    @Test
    void aLineThatIsNotUtf8IsRejectedWithItsNumberAndReadingGoesOn() throws IOException {
        Path file = dir.resolve("seq.jsonl");
        byte[] bad = {'[', '[', '1', ',', '2', ',', 'n', 'u', 'l', 'l', ',', (byte) 0xc3, '\n'};
        byte[] good = "[[1, 2, null, null, 1, 5]]\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[good.length + bad.length + good.length];
        System.arraycopy(good, 0, bytes, 0, good.length);
        System.arraycopy(bad, 0, bytes, good.length, bad.length);
        System.arraycopy(good, 0, bytes, good.length + bad.length, good.length);
        Files.write(file, bytes);
        List<InputReject> rejects = new ArrayList<>();
        long[] read = {0};
        SeqJsonl.read(file, handler(rejects, read));
        assertThat(read[0]).isEqualTo(2);
        assertThat(rejects).singleElement().satisfies(r -> {
            assertThat(r.where()).isEqualTo(file + ":2");
            assertThat(r.reason()).isEqualTo("the line is not UTF-8");
        });
    }

    @Test
    void linesEndAtLineFeedsCarriageReturnsOrBoth() throws IOException {
        Path file = dir.resolve("seq.jsonl");
        Files.writeString(file, "[[1, 2, null, null, 1, 5]]\r\nnot json\rx\n[[1, 3, null, null, 1, 6]]");
        List<InputReject> rejects = new ArrayList<>();
        long[] read = {0};
        SeqJsonl.read(file, handler(rejects, read));
        assertThat(read[0]).isEqualTo(2);
        assertThat(rejects).extracting(InputReject::line).containsExactly(2L, 3L);
    }
}
