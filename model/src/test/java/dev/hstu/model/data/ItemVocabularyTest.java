package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemVocabularyTest {

    @TempDir
    Path dir;

    @Test
    void assignsDenseRowsFromTwoAndFallsBackToOutOfVocabularyWhenFull() {
        ItemVocabulary v = new ItemVocabulary(5);
        assertThat(v.indexOrAssign(1001L)).isEqualTo(2);
        assertThat(v.indexOrAssign(-7L)).isEqualTo(3);
        assertThat(v.indexOrAssign(1001L)).isEqualTo(2);
        assertThat(v.indexOrAssign(0L)).isEqualTo(4);
        assertThat(v.size()).isEqualTo(5);
        assertThat(v.indexOrAssign(42L)).isEqualTo(ItemVocabulary.OUT_OF_VOCABULARY);
        assertThat(v.indexOrAssign(43L)).isEqualTo(ItemVocabulary.OUT_OF_VOCABULARY);
        assertThat(v.overflowCount()).isEqualTo(2);
        assertThat(v.indexOf(42L)).isEqualTo(ItemVocabulary.OUT_OF_VOCABULARY);
        assertThat(v.indexOf(-7L)).isEqualTo(3);
        assertThat(v.idOf(4)).isZero();
        assertThatThrownBy(() -> v.idOf(1)).hasMessage("item index 1 has no id: assigned rows are [2, 5)");
        assertThatThrownBy(() -> new ItemVocabulary(2)).hasMessageContaining("capacity must be >= 3");
    }

    @Test
    void manyIdsSurviveGrowthAndAFileRoundTrip() throws IOException {
        ItemVocabulary v = new ItemVocabulary(100_002);
        SplittableRandom random = new SplittableRandom(1);
        long[] ids = new long[100_000];
        for (int i = 0; i < ids.length; i++) {
            // strided and random ids both, to exercise probing
            ids[i] = (i % 2 == 0) ? i * 1024L : random.nextLong();
            assertThat(v.indexOrAssign(ids[i])).isEqualTo(i + 2);
        }
        Path file = dir.resolve("id.u64bin");
        v.save(file);
        assertThat(Files.size(file)).isEqualTo(8L * ids.length);
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw.getLong(0)).isEqualTo(ids[0]);
        assertThat(raw.getLong(8)).isEqualTo(ids[1]);

        ItemVocabulary frozen = ItemVocabulary.load(file);
        assertThat(frozen.size()).isEqualTo(ids.length + 2);
        for (int i = 0; i < ids.length; i += 97) {
            assertThat(frozen.indexOf(ids[i])).isEqualTo(i + 2);
            assertThat(frozen.idOf(i + 2)).isEqualTo(ids[i]);
        }
        assertThat(frozen.indexOrAssign(Long.MIN_VALUE + 3)).isEqualTo(ItemVocabulary.OUT_OF_VOCABULARY);

        ItemVocabulary growing = ItemVocabulary.load(file, 200_000);
        assertThat(growing.indexOrAssign(Long.MIN_VALUE + 3)).isEqualTo(ids.length + 2);
    }

    @Test
    void malformedFilesAreRejected() throws IOException {
        Path odd = dir.resolve("odd.u64bin");
        Files.write(odd, new byte[12]);
        assertThatThrownBy(() -> ItemVocabulary.load(odd)).hasMessageContaining("not a multiple of 8");
        Path repeated = dir.resolve("repeated.u64bin");
        Files.write(
                repeated,
                ByteBuffer.allocate(16)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(5)
                        .putLong(5)
                        .array());
        assertThatThrownBy(() -> ItemVocabulary.load(repeated)).hasMessageContaining("repeats id 5 at row 3");
        assertThatThrownBy(() -> ItemVocabulary.load(repeated, 3)).hasMessageContaining("more than capacity 3");
    }
}
