package dev.hstu.formats.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingFilesTest {

    @TempDir
    Path dir;

    @Test
    void fbinIsRowsDimThenLittleEndianFloats() throws Exception {
        Path file = dir.resolve("x.fbin");
        EmbeddingFiles.writeFbin(file, new float[] {1f, -2f, 0.5f, 3f, 4f, 5f}, 3);
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw.capacity()).isEqualTo(8 + 6 * 4);
        assertThat(raw.getInt()).isEqualTo(2);
        assertThat(raw.getInt()).isEqualTo(3);
        assertThat(raw.getFloat()).isEqualTo(1f);
        assertThat(raw.getFloat()).isEqualTo(-2f);
        assertThat(EmbeddingFiles.readFbin(file)[1]).containsExactly(3f, 4f, 5f);
    }

    @Test
    void u64binIsTheSeedsNByOneMatrixOfLittleEndianIds() throws Exception {
        Path file = dir.resolve("id.u64bin");
        EmbeddingFiles.writeU64(file, new long[] {7, 1L << 40, -1L});
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(8 + 24);
        ByteBuffer raw = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw.getInt()).isEqualTo(3);
        assertThat(raw.getInt()).isEqualTo(1);
        assertThat(raw.getLong()).isEqualTo(7);
        assertThat(EmbeddingFiles.readU64(file)).containsExactly(7, 1L << 40, -1L);
    }

    @Test
    void headerlessIdFilesOfEarlierVersionsStillRead() throws Exception {
        Path file = dir.resolve("old.u64bin");
        ByteBuffer raw = ByteBuffer.allocate(24)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(7)
                .putLong(8)
                .putLong(9);
        Files.write(file, raw.array());
        assertThat(EmbeddingFiles.readU64(file)).containsExactly(7, 8, 9);
        Files.write(file, new byte[0]);
        assertThat(EmbeddingFiles.readU64(file)).isEmpty();
        Files.write(file, new byte[12]);
        assertThatThrownBy(() -> EmbeddingFiles.readU64(file)).hasMessageContaining("not a whole number of uint64 ids");
    }

    @Test
    void topKMatrixHasQueriesAndKInItsHeader() throws Exception {
        Path file = dir.resolve("id100.u64bin");
        EmbeddingFiles.writeU64Matrix(file, new long[] {1, 2, 3, 4, 5, 6}, 3);
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw.getInt()).isEqualTo(2);
        assertThat(raw.getInt()).isEqualTo(3);
        assertThat(EmbeddingFiles.readU64Matrix(file)).isDeepEqualTo(new long[][] {{1, 2, 3}, {4, 5, 6}});
        assertThatThrownBy(() -> EmbeddingFiles.writeU64Matrix(file, new long[5], 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partialRowsAreRejected() {
        assertThatThrownBy(() -> EmbeddingFiles.writeFbin(dir.resolve("bad.fbin"), new float[5], 2))
                .hasMessageContaining("5 floats")
                .hasMessageContaining("dim 2");
    }
}
