package dev.hstu.formats.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.jsonl.JsonLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two multimodal formats read the same vectors by id, and malformed files name their file and line. */
class MultimodalEmbeddingFilesTest {

    @TempDir
    Path dir;

    private final Map<Long, float[]> read = new LinkedHashMap<>();

    private boolean keep(String where, long id, float[] vector) {
        read.put(id, vector);
        return id != 9999;
    }

    @Test
    void jsonLinesDirectoriesAndFbinPairsYieldEveryVectorWithItsId() throws IOException {
        Path parts = Files.createDirectories(dir.resolve("emb_82_2"));
        Files.writeString(parts.resolve("part-00000"), "{\"anonymous_cid\": 1001, \"emb\": [1, 2]}\n\n");
        Files.writeString(parts.resolve("part-00001"), "{\"anonymous_cid\": \"9999\", \"emb\": [3, 4], \"x\": 1}\n");
        Files.writeString(parts.resolve("_SUCCESS"), "");
        assertThat(MultimodalEmbeddingFiles.forEach(parts, this::keep))
                .isEqualTo(new MultimodalEmbeddingFiles.Loaded(2, 1));
        assertThat(read).containsOnlyKeys(1001L, 9999L);

        read.clear();
        Path fbin = dir.resolve("emb81.fbin");
        EmbeddingFiles.writeFbin(fbin, new float[] {9, 8, 7, 6}, 2);
        EmbeddingFiles.writeU64(MultimodalEmbeddingFiles.idsFileOf(fbin), new long[] {1003, 4242});
        assertThat(MultimodalEmbeddingFiles.idsFileOf(fbin)).isEqualTo(dir.resolve("emb81_id.u64bin"));
        assertThat(MultimodalEmbeddingFiles.forEach(fbin, this::keep))
                .isEqualTo(new MultimodalEmbeddingFiles.Loaded(2, 2));
        assertThat(read.get(4242L)).containsExactly(7, 6);
    }

    @Test
    void malformedFilesAreRejectedNamingTheFileAndLine() throws IOException {
        Path noId = dir.resolve("n.json");
        Files.writeString(noId, "{\"anonymous_cid\": 1, \"emb\": [1]}\n{\"emb\": [1, 2]}\n");
        assertThatThrownBy(() -> MultimodalEmbeddingFiles.forEach(noId, this::keep))
                .hasMessageContaining("n.json:2: expected {\"anonymous_cid\": id, \"emb\": [floats]}");
        Path broken = dir.resolve("b.json");
        Files.writeString(broken, "{\"anonymous_cid\": 1001, \"emb\": [1, \n");
        assertThatThrownBy(() -> MultimodalEmbeddingFiles.forEach(broken, this::keep))
                .hasMessageContaining("b.json:1: malformed JSON line");
        Path fbin = dir.resolve("x.fbin");
        EmbeddingFiles.writeFbin(fbin, new float[] {1, 2}, 2);
        EmbeddingFiles.writeU64(dir.resolve("x_id.u64bin"), new long[] {1001, 1002});
        assertThatThrownBy(() -> MultimodalEmbeddingFiles.forEach(fbin, this::keep))
                .hasMessageContaining("has 1 vectors but")
                .hasMessageContaining("has 2 ids");
    }

    // A byte that is not UTF-8 ended the read with a MalformedInputException that named no file or line.
    @Test
    void aLineThatIsNotUtf8IsRefusedNamingItsLine() throws IOException {
        Path file = dir.resolve("u.json");
        byte[] good = "{\"anonymous_cid\": 1, \"emb\": [1]}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(good, good.length + 3);
        bytes[good.length] = (byte) 0xc3;
        bytes[good.length + 1] = '1';
        bytes[good.length + 2] = '\n';
        Files.write(file, bytes);
        assertThatThrownBy(() -> MultimodalEmbeddingFiles.forEach(file, this::keep))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ":2: the line is not UTF-8");
        assertThatThrownBy(() -> JsonLines.forEach(file, (where, node) -> {}))
                .hasMessage(file + ":2: the line is not UTF-8");
    }
}
