package dev.hstu.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputReadersTest {

    @TempDir
    Path dir;

    @Test
    void seqJsonlSkipsProfileRowsAndSortsByTime() throws Exception {
        Path file = dir.resolve("seq.jsonl");
        Files.writeString(file, """
                [[7, null, {"a": 1}, null, 0, null], [7, 300, null, {"f": 2}, 1, 200], [null, 100, null, null, 2, 100], [7, 200, null, null, 1, 100]]
                [[8, 100, null, null, 0, 50]]
                """);
        ItemVocabulary vocabulary = new ItemVocabulary(10);
        UserSequences users = InteractionFiles.seqJsonl(file).build(vocabulary, vocabulary::indexOrAssign);
        assertThat(users.userIds()).containsExactly(7, 8);
        // items 100 and 200 share t=100 and keep their file order
        assertThat(users.timestamps().get(0)).containsExactly(100, 100, 200);
        assertThat(users.actions().get(0)).containsExactly(2, 1, 1);
        assertThat(vocabulary.idOf(users.items().get(0)[0])).isEqualTo(100);
        assertThat(vocabulary.idOf(users.items().get(0)[2])).isEqualTo(300);
        assertThat(users.items().get(1)[0]).isEqualTo(users.items().get(0)[0]);
    }

    @Test
    void seqJsonlErrorsNameTheLineAndField() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "[[7, 1, null, null, 0, 5]]\n[[7, \"x\", null, null, 0, 5]]\n");
        assertThatThrownBy(() -> InteractionFiles.seqJsonl(file))
                .hasMessageContaining("bad.jsonl:2")
                .hasMessageContaining("item_id");
        Files.writeString(file, "[[7, 1, null, null, 0, -5]]\n");
        assertThatThrownBy(() -> InteractionFiles.seqJsonl(file)).hasMessageContaining("timestamp must be >= 0");
        Files.writeString(file, "[[7, 1, null, null, 0, 5]]\n[[7, 2, null, null, 0]]\n");
        assertThatThrownBy(() -> InteractionFiles.seqJsonl(file))
                .hasMessageContaining("bad.jsonl:2")
                .hasMessageContaining("timestamp is missing");
        Files.writeString(file, "{not json\n");
        assertThatThrownBy(() -> InteractionFiles.seqJsonl(file))
                .hasMessageContaining("bad.jsonl:1")
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void movieLensRatingsBecomeRoundedStarActions() throws Exception {
        Path file = dir.resolve("ratings.csv");
        Files.writeString(file, "userId,movieId,rating,timestamp\n1,10,4.5,300\n1,20,1.0,100\n");
        ItemVocabulary vocabulary = new ItemVocabulary(10);
        UserSequences users = InteractionFiles.movieLens(file, MovieLensActions.wholeStars())
                .build(vocabulary, vocabulary::indexOrAssign);
        assertThat(users.actions().get(0)).containsExactly(1, 5);
        assertThat(users.timestamps().get(0)).containsExactly(100, 300);
        Files.writeString(file, "userId,movieId,rating,timestamp\n1,10,4.5,abc\n");
        assertThatThrownBy(() -> InteractionFiles.movieLens(file, MovieLensActions.wholeStars()))
                .hasMessageContaining("ratings.csv:2")
                .hasMessageContaining("timestamp");
    }
}
