package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.model.config.HstuConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultimodalCatalogTest {

    @TempDir
    Path dir;

    @Test
    void fillsTheRowsOfItemsAsTheVocabularyAssignsThem() throws Exception {
        Path file = dir.resolve("emb_81_2.jsonl");
        Files.writeString(
                file, "{\"anonymous_cid\": 500, \"emb\": [1, 2]}\n{\"anonymous_cid\": \"700\", \"emb\": [3, 4]}\n");
        MultimodalCatalog catalog = MultimodalCatalog.load(Map.of(81, 2), Map.of(81, file));
        HstuConfig config = HstuConfig.defaults()
                .with("items.capacity", 10)
                .with("encoder.embeddingDim", 8)
                .with("stu.numHeads", 2)
                .with("encoder.maxSeqLen", 4)
                .with("features.multimodalDims", Map.of(81, 2))
                .validate();
        catalog.checkFits(config);
        MultimodalItemTables tables = MultimodalItemTables.forConfig(config);
        ItemVocabulary vocabulary = new ItemVocabulary(10);
        vocabulary.indexOrAssign(600);
        vocabulary.indexOrAssign(700);

        assertThat(catalog.items()).isEqualTo(2);
        assertThat(catalog.fill(tables, vocabulary, 2, vocabulary.size())).isEqualTo(1);
        assertThat(tables.itemsWithVector(81)).isEqualTo(1);
        vocabulary.indexOrAssign(500);
        assertThat(catalog.fill(tables, vocabulary, 4, vocabulary.size())).isEqualTo(1);
        assertThat(tables.itemsWithVector(81)).isEqualTo(2);
        assertThatThrownBy(() -> catalog.checkFits(
                        config.with("features.multimodalDims", Map.of(81, 3)).validate()))
                .hasMessageContaining("do not fit model.features.multimodalDims={81=3}");
    }

    @Test
    void refusesAVectorOfAnotherWidthAndFilesForOtherFeatures() throws Exception {
        Path file = dir.resolve("emb.jsonl");
        Files.writeString(
                file, "{\"anonymous_cid\": 1, \"emb\": [1, 2]}\n{\"anonymous_cid\": 2, \"emb\": [1, 2, 3]}\n");
        assertThatThrownBy(() -> MultimodalCatalog.load(Map.of(81, 2), Map.of(81, file)))
                .hasMessageContaining("emb.jsonl:2: feature 81 has width 2, this vector 3 floats");
        assertThatThrownBy(() -> MultimodalCatalog.load(Map.of(81, 2), Map.of(82, file)))
                .hasMessageContaining("multimodal files are given for features [82] but the model takes [81]");
    }
}
