package dev.hstu.formats.recbole;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.fuzz.Allocation;
import dev.hstu.formats.fuzz.Mutations;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.InvalidInputException;
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
 * The RecBole {@code .inter} reader over random and mutated files: a file is refused whole only for its header, with
 * an {@link InvalidInputException} naming line 1; every other bad line reaches the handler as an {@link InputReject};
 * nothing else is thrown, every row read keeps the rules, and reading allocates no more than a multiple of the file's
 * size.
 */
class RecBoleInterFuzzTest {

    private static final String VALID = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
            + "196\t242\t3\t881250949\r\nalice\tB00ABC\t4.5\t881250950.25\n\n186\t302\t-3e2\t8.9171742E8\n";

    @Provide
    Arbitrary<byte[]> mutated() {
        return Mutations.of(VALID.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void randomBytesAreRefusedOrRejectedByLine(@ForAll @Size(max = 512) byte[] bytes) throws Exception {
        readChecked(bytes);
    }

    @Property(tries = 1500)
    void mutatedFilesAreReadOrRejectedByLine(@ForAll("mutated") byte[] bytes) throws Exception {
        readChecked(bytes);
    }

    private static void readChecked(byte[] bytes) throws Exception {
        Path file = Files.createTempFile("recbole-fuzz", ".inter");
        try {
            Files.write(file, bytes);
            List<InputReject> rejects = new ArrayList<>();
            RecBoleInter.Header[] header = {null};
            long allocated = Allocation.of(() -> {
                try {
                    RecBoleInter.read(file, new RecBoleInter.Handler() {
                        @Override
                        public void header(RecBoleInter.Header h) {
                            header[0] = h;
                        }

                        @Override
                        public void row(long line, RecBoleInter.Row row) {
                            assertThat(header[0]).isNotNull();
                            assertThat(row.user()).isNotBlank();
                            assertThat(row.item()).isNotBlank();
                            assertThat(Double.isNaN(row.rating())).isEqualTo(header[0].rating() < 0);
                            if (header[0].timed()) {
                                assertThat(row.timestampSeconds()).isBetween(0.0, (double) (Long.MAX_VALUE / 1000));
                            } else {
                                assertThat(row.timestampSeconds()).isNaN();
                            }
                        }

                        @Override
                        public void reject(InputReject reject) {
                            rejects.add(reject);
                        }
                    });
                } catch (InvalidInputException refused) {
                    assertThat(refused.reject().where()).isEqualTo(file + ":1");
                    assertThat(header[0]).isNull();
                }
            });
            for (InputReject r : rejects) {
                assertThat(r.file()).isEqualTo(file);
                assertThat(r.line()).isBetween(2L, bytes.length + 1L);
                assertThat(r.reason()).isNotBlank();
                assertThat(r.excerpt().length()).isLessThanOrEqualTo(203);
            }
            assertThat(allocated).isLessThanOrEqualTo((1 << 20) + 64L * bytes.length);
        } finally {
            Files.delete(file);
        }
    }
}
