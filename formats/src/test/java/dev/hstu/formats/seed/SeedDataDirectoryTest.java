package dev.hstu.formats.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedDataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void readsTheIndexCandidatesAndEmbeddingDirectories() throws Exception {
        Files.writeString(
                dir.resolve("indexer.json"),
                "{\"u\": {\"7\": 1}, \"f\": {\"100\": {\"3\": 1}}, \"i\": {\"18446744073709551615\": 1, \"42\": 2}}");
        Files.writeString(
                dir.resolve("predict_set.jsonl"),
                "{\"creative_id\": 42, \"retrieval_id\": \"9\", \"features\": {\"112\": 3}}\n\n{\"creative_id\": \"5\", \"retrieval_id\": 10}\n");
        Files.createDirectories(dir.resolve("creative_emb/emb_81_32"));
        Files.createDirectories(dir.resolve("creative_emb/emb_82_1024"));
        Files.writeString(dir.resolve("creative_emb/emb_83_8.fbin"), "");
        Files.writeString(dir.resolve("creative_emb/README"), "");

        SeedDataDirectory seed = new SeedDataDirectory(dir);
        SeedIndexer indexer = seed.indexer().orElseThrow();
        assertThat(indexer.userId(1)).isEqualTo(7);
        assertThat(indexer.itemId(1)).isEqualTo(-1L);
        assertThat(indexer.itemId(2)).isEqualTo(42);
        assertThatThrownBy(() -> indexer.itemId(3)).hasMessage("item reid 3 is not in indexer.json");
        assertThat(seed.candidates()).containsExactly(new PredictCandidate(42, 9), new PredictCandidate(5, 10));
        assertThat(seed.multimodalDims()).isEqualTo(Map.of(81, 32, 82, 1024, 83, 8));
        assertThat(seed.multimodalFiles().get(81)).isEqualTo(dir.resolve("creative_emb/emb_81_32"));
        assertThat(seed.has(SeedDataDirectory.PREDICT_SEQ)).isFalse();
        assertThatThrownBy(() -> seed.require(SeedDataDirectory.PREDICT_SEQ))
                .hasMessageEndingWith("has no predict_seq.jsonl");
    }

    @Test
    void malformedFilesAreNamedWithTheLineAndField() throws Exception {
        SeedDataDirectory seed = new SeedDataDirectory(dir);
        Files.writeString(
                dir.resolve("predict_set.jsonl"),
                "{\"creative_id\": 1, \"retrieval_id\": 2}\n{\"creative_id\": 1.5, \"retrieval_id\": 3}\n");
        assertThatThrownBy(seed::candidates)
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("predict_set.jsonl:2: creative_id must be an unsigned 64-bit id, got 1.5");
        Files.writeString(
                dir.resolve("predict_set.jsonl"),
                "{\"creative_id\": 1, \"retrieval_id\": 2}\n{\"creative_id\": 4, \"retrieval_id\": 2}\n");
        assertThatThrownBy(seed::candidates).hasMessageEndingWith("predict_set.jsonl:2: retrieval_id 2 appears twice");
        Files.writeString(dir.resolve("indexer.json"), "{\"i\": {\"abc\": 1}}");
        assertThatThrownBy(seed::indexer).hasMessageEndingWith("\"i\" key 'abc' is not an unsigned 64-bit id");
        Files.writeString(dir.resolve("indexer.json"), "{\"i\": {\"1\": 1, \"2\": 1}}");
        assertThatThrownBy(seed::indexer).hasMessageEndingWith("\"i\" gives reid 1 to both 1 and 2");
        Files.writeString(dir.resolve("indexer.json"), "{\"u\": {}}");
        assertThatThrownBy(seed::indexer).hasMessageEndingWith("has no item index \"i\"");
        Files.writeString(dir.resolve("indexer.json"), "{\"i\": ");
        assertThatThrownBy(seed::indexer).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> new SeedDataDirectory(dir.resolve("nope")))
                .hasMessageContaining("seed data directory not found");
    }

    @Test
    void theIndexAndTheCandidatesReadBackAsWritten() throws Exception {
        SeedIndexer.of(Map.of(1L, 7L, 2L, -1L), Map.of(1L, 42L)).write(dir.resolve(SeedDataDirectory.INDEXER));
        List<PredictCandidate> candidates = List.of(new PredictCandidate(42, 9), new PredictCandidate(-1L, 10));
        SeedDataDirectory.writeCandidates(dir.resolve(SeedDataDirectory.PREDICT_SET), candidates);

        SeedDataDirectory seed = new SeedDataDirectory(dir);
        SeedIndexer indexer = seed.indexer().orElseThrow();
        assertThat(List.of(indexer.userId(1), indexer.userId(2), indexer.itemId(1)))
                .containsExactly(7L, -1L, 42L);
        assertThat(seed.candidates()).isEqualTo(candidates);
        assertThat(Files.readString(dir.resolve(SeedDataDirectory.INDEXER)))
                .isEqualTo("{\"u\":{\"7\":1,\"18446744073709551615\":2},\"i\":{\"42\":1}}");
    }

    @Test
    void theHeldOutItemsReadBackAsWrittenAndAnEmptyFileIsRefused() throws Exception {
        Path file = dir.resolve(SeedDataDirectory.HELD_OUT);
        Map<Long, Long> heldOut = new java.util.LinkedHashMap<>();
        heldOut.put(7L, 42L);
        heldOut.put(-1L, 5L);
        SeedDataDirectory.writeHeldOut(file, heldOut);
        assertThat(SeedDataDirectory.readHeldOut(file)).containsExactlyEntriesOf(heldOut);
        Files.writeString(file, "{\"user_id\": 1}\n");
        assertThatThrownBy(() -> SeedDataDirectory.readHeldOut(file))
                .hasMessageContaining("heldout.jsonl:1: creative_id must be an unsigned 64-bit id");
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> SeedDataDirectory.readHeldOut(file)).hasMessageContaining("holds no held-out item");
    }
}
