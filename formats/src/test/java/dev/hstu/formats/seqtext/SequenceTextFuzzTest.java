package dev.hstu.formats.seqtext;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.fuzz.Allocation;
import dev.hstu.formats.fuzz.Mutations;
import dev.hstu.formats.io.InputReject;
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

/**
 * The sequence text reader over random and mutated files: whatever the bytes, reading ends normally, every line is
 * either a user with at least one item or an {@link InputReject} naming a line of the file, and reading allocates no
 * more than a multiple of the file's size.
 */
class SequenceTextFuzzTest {

    private static final String VALID = "1 1 2 3 4 5\n2 6 7 8 9 10 4 11\r\n\n3 4\t12 13\r18446744073709551615 1\n";

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
        Path file = Files.createTempFile("seqtext-fuzz", ".txt");
        try {
            Files.write(file, bytes);
            List<InputReject> rejects = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            long allocated = Allocation.of(() -> SequenceText.read(file, new SequenceText.Handler() {
                @Override
                public void items(long line, long user, long[] items) {
                    assertThat(items).isNotEmpty();
                    lines.add(line);
                }

                @Override
                public void reject(InputReject reject) {
                    rejects.add(reject);
                    lines.add(reject.line());
                }
            }));
            assertThat(lines).isSorted().doesNotHaveDuplicates();
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
}
