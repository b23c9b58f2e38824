package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.formats.vectors.MultimodalEmbeddingFiles;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multimodal embedding files: the seed's creative_emb JSON lines and the .fbin + _id.u64bin pair, by external item id. */
class MultimodalItemTablesLoadTest {

    private static final HstuConfig CONFIG = TestBatches.tiny()
            .with("features.multimodalDims", Map.of(81, 2, 82, 3))
            .validate();

    @TempDir
    Path dir;

    private final ItemVocabulary vocabulary = new ItemVocabulary(50);
    private MultimodalItemTables tables;

    @BeforeEach
    void knownItems() {
        vocabulary.indexOrAssign(1001); // row 2
        vocabulary.indexOrAssign(1002); // row 3
        vocabulary.indexOrAssign(1003); // row 4
        tables = MultimodalItemTables.forConfig(CONFIG);
    }

    @Test
    void jsonLinesMapIdsToRowsSkipUnknownIdsAndIgnoreOtherFields() throws IOException {
        Path file = dir.resolve("emb_81_2.json");
        Files.writeString(file, """
                {"anonymous_cid": 1001, "emb": [0.5, -1.0]}

                {"anonymous_cid": "1003", "emb": [2, 3], "source": "image"}
                {"anonymous_cid": 9999, "emb": [7, 7]}
                """);
        MultimodalEmbeddingFiles.Loaded loaded = tables.load(file, 81, vocabulary::indexOf);
        assertThat(loaded).isEqualTo(new MultimodalEmbeddingFiles.Loaded(3, 2));
        assertThat(tables.itemsWithVector(81)).isEqualTo(2);
        assertThat(rows(0))
                .startsWith(
                        0, 0, // padding
                        0, 0, // out of vocabulary: the unknown id 9999 does not land here
                        0.5f, -1f, // 1001
                        0, 0, // 1002 has no vector
                        2, 3); // 1003
    }

    @Test
    void aDirectoryIsReadAsAllItsPartFilesAndAnFbinTakesItsIdsFromTheSiblingFile() throws IOException {
        Path parts = Files.createDirectories(dir.resolve("emb_82_3"));
        Files.writeString(parts.resolve("part-00000"), "{\"anonymous_cid\": 1001, \"emb\": [1, 2, 3]}\n");
        Files.writeString(parts.resolve("part-00001"), "{\"anonymous_cid\": 1002, \"emb\": [4, 5, 6]}\n");
        Files.writeString(parts.resolve("_SUCCESS"), "");
        assertThat(tables.load(parts, 82, vocabulary::indexOf)).isEqualTo(new MultimodalEmbeddingFiles.Loaded(2, 2));

        Path fbin = dir.resolve("emb81.fbin");
        EmbeddingFiles.writeFbin(fbin, new float[] {9, 8, 7, 6}, 2);
        EmbeddingFiles.writeU64(dir.resolve("emb81_id.u64bin"), new long[] {1003, 4242});
        assertThat(MultimodalEmbeddingFiles.idsFileOf(fbin)).isEqualTo(dir.resolve("emb81_id.u64bin"));
        assertThat(tables.load(fbin, 81, vocabulary::indexOf)).isEqualTo(new MultimodalEmbeddingFiles.Loaded(2, 1));

        assertThat(java.util.Arrays.copyOfRange(rows(1), 6, 15))
                .as("feature 82, rows 2..4")
                .containsExactly(1, 2, 3, 4, 5, 6, 0, 0, 0);
        assertThat(java.util.Arrays.copyOfRange(rows(0), 4, 10))
                .as("feature 81, rows 2..4")
                .containsExactly(0, 0, 0, 0, 9, 8);
    }

    @Test
    void malformedFilesAreRejectedNamingTheFileAndLine() throws IOException {
        Path wrongWidth = dir.resolve("w.json");
        Files.writeString(
                wrongWidth,
                "{\"anonymous_cid\": 1001, \"emb\": [1, 2]}\n{\"anonymous_cid\": 1002, \"emb\": [1, 2, 3]}\n");
        assertThatThrownBy(() -> tables.load(wrongWidth, 81, vocabulary::indexOf))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("w.json:2: multimodal feature 81 has width 2");
        Path noId = dir.resolve("n.json");
        Files.writeString(noId, "{\"emb\": [1, 2]}\n");
        assertThatThrownBy(() -> tables.load(noId, 81, vocabulary::indexOf))
                .hasMessageContaining("n.json:1: expected {\"anonymous_cid\": id, \"emb\": [floats]}");
        Path textId = dir.resolve("t.json");
        Files.writeString(textId, "{\"anonymous_cid\": \"abc\", \"emb\": [1, 2]}\n");
        assertThatThrownBy(() -> tables.load(textId, 81, vocabulary::indexOf))
                .hasMessageContaining("t.json:1: anonymous_cid must be an integer, got abc");
        Path broken = dir.resolve("b.json");
        Files.writeString(broken, "{\"anonymous_cid\": 1001, \"emb\": [1, \n");
        assertThatThrownBy(() -> tables.load(broken, 81, vocabulary::indexOf))
                .hasMessageContaining("b.json:1: malformed JSON line");
        Path fbin = dir.resolve("x.fbin");
        EmbeddingFiles.writeFbin(fbin, new float[] {1, 2}, 2);
        EmbeddingFiles.writeU64(dir.resolve("x_id.u64bin"), new long[] {1001, 1002});
        assertThatThrownBy(() -> tables.load(fbin, 81, vocabulary::indexOf))
                .hasMessageContaining("has 1 vectors but")
                .hasMessageContaining("has 2 ids");
    }

    /** @return the table of the {@code feature}-th configured feature (81, 82), row-major */
    private float[] rows(int feature) {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            return tables.toNDList(manager).get(feature).toFloatArray();
        }
    }
}
