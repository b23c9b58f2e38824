package dev.hstu.formats.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.fuzz.Allocation;
import dev.hstu.formats.fuzz.Mutations;
import dev.hstu.formats.io.InvalidBinaryFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary readers over random and mutated files: each file is read, or refused with an {@link
 * InvalidBinaryFileException}, and reading allocates no more than a small multiple of the file's size.
 */
class EmbeddingFilesFuzzTest {

    // a row of a float[][] costs its array header besides its floats: 16 bytes for a row of 1 float of 4
    private static final long ALLOWED_PER_BYTE = 16;
    private static final long ALLOWED_FIXED = 1 << 20;

    private static Path dir;

    @TempDir
    Path testDir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("embedding-files-fuzz");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Provide
    Arbitrary<byte[]> mutatedFbin() throws IOException {
        Path file = dir.resolve("valid.fbin");
        EmbeddingFiles.writeFbin(file, new float[] {1f, -2f, 0.5f, 3f, 4f, 5f}, 3);
        return Mutations.of(Files.readAllBytes(file));
    }

    @Provide
    Arbitrary<byte[]> mutatedU64Matrix() throws IOException {
        Path file = dir.resolve("valid.u64bin");
        EmbeddingFiles.writeU64Matrix(file, new long[] {7, 1L << 40, -1L, 3, 4, 5}, 2);
        return Mutations.of(Files.readAllBytes(file));
    }

    /** Headers of extreme values over short bodies: the shapes random bytes reach only by luck. */
    @Provide
    Arbitrary<byte[]> extremeHeaders() {
        Arbitrary<Integer> edge = Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 29, 1 << 30),
                Arbitraries.integers());
        return net.jqwik.api.Combinators.combine(
                        edge, edge, Arbitraries.integers().between(0, 64))
                .as((rows, cols, body) -> ByteBuffer.allocate(8 + body)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(rows)
                        .putInt(cols)
                        .array());
    }

    @Property(tries = 1000)
    void randomBytesAreReadOrRefused(@ForAll @Size(max = 256) byte[] bytes) throws Exception {
        readAll(bytes);
    }

    @Property(tries = 1000)
    void mutatedFbinFilesAreReadOrRefused(@ForAll("mutatedFbin") byte[] bytes) throws Exception {
        readAll(bytes);
    }

    @Property(tries = 1000)
    void mutatedMatricesAreReadOrRefused(@ForAll("mutatedU64Matrix") byte[] bytes) throws Exception {
        readAll(bytes);
    }

    @Property(tries = 1000)
    void extremeHeadersAreReadOrRefused(@ForAll("extremeHeaders") byte[] bytes) throws Exception {
        readAll(bytes);
    }

    private static void readAll(byte[] bytes) throws Exception {
        Path file = dir.resolve("fuzz.bin");
        Files.write(file, bytes);
        long allocated = Allocation.of(() -> {
            try {
                float[][] rows = EmbeddingFiles.readFbin(file);
                assertThat(8L + 4L * rows.length * (rows.length == 0 ? 0 : rows[0].length))
                        .isEqualTo(bytes.length);
            } catch (InvalidBinaryFileException refused) {
                assertThat(refused.getMessage()).startsWith(file.toString());
            }
            try {
                long[][] rows = EmbeddingFiles.readU64Matrix(file);
                assertThat(8L + 8L * rows.length * (rows.length == 0 ? 0 : rows[0].length))
                        .isEqualTo(bytes.length);
            } catch (InvalidBinaryFileException refused) {
                assertThat(refused.getMessage()).startsWith(file.toString());
            }
            try {
                long[] ids = EmbeddingFiles.readU64(file);
                assertThat(ids.length).isLessThanOrEqualTo(bytes.length / 8);
            } catch (InvalidBinaryFileException refused) {
                assertThat(refused.getMessage()).startsWith(file.toString());
            }
        });
        assertThat(allocated).isLessThanOrEqualTo(ALLOWED_FIXED + ALLOWED_PER_BYTE * 3 * bytes.length);
    }

    private Path header(int rows, int cols, int bodyBytes) throws IOException {
        Path file = testDir.resolve("header.bin");
        Files.write(
                file,
                ByteBuffer.allocate(8 + bodyBytes)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(rows)
                        .putInt(cols)
                        .array());
        return file;
    }

    // Found before the fuzzing, in issue 18: the size check passed (8 + 4 * rows * 0 == 8) and the reader asked for
    // two billion empty rows.
    @Test
    void anFbinOfMaxRowsAndDimZeroIsRefusedBeforeAllocating() throws Exception {
        Path file = header(Integer.MAX_VALUE, 0, 0);
        assertThatThrownBy(() -> EmbeddingFiles.readFbin(file))
                .isInstanceOf(InvalidBinaryFileException.class)
                .hasMessageContaining("header says 2147483647 x 0 floats");
        assertThatThrownBy(() -> EmbeddingFiles.readU64Matrix(file))
                .isInstanceOf(InvalidBinaryFileException.class)
                .hasMessageContaining("header says 2147483647 x 0 ids");
    }

    // 8 * 2^31 * 2^30 = 2^64 wrapped to 0, so an 8-byte file passed the old size check, and (int) 2^31 made a
    // NegativeArraySizeException.
    @Test
    void aMatrixHeaderWhoseSizeWrapsToTheFilesSizeIsRefused() throws Exception {
        Path file = header(Integer.MIN_VALUE, 1 << 30, 0);
        assertThatThrownBy(() -> EmbeddingFiles.readU64Matrix(file))
                .isInstanceOf(InvalidBinaryFileException.class)
                .hasMessageContaining("header says 2147483648 x 1073741824 ids");
    }

    // (2^32-1) x 0 passed the old check and (int) (2^32-1) = -1 rows made a NegativeArraySizeException.
    @Test
    void aMatrixOfUnsignedMaxRowsAndNoColumnsIsRefused() throws Exception {
        Path file = header(-1, 0, 0);
        assertThatThrownBy(() -> EmbeddingFiles.readU64Matrix(file)).isInstanceOf(InvalidBinaryFileException.class);
        assertThatThrownBy(() -> EmbeddingFiles.readFbin(file)).isInstanceOf(InvalidBinaryFileException.class);
    }

    @Test
    void emptyFilesOfZeroRowsStillRead() throws Exception {
        assertThat(EmbeddingFiles.readFbin(header(0, 5, 0))).isEmpty();
        assertThat(EmbeddingFiles.readU64Matrix(header(0, 0, 0))).isEmpty();
    }
}
