package dev.hstu.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.io.InvalidInputException;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.UserSequences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    @Test
    void sequenceTextLinesAndPairsGetOrdinalTimesPerUserInFileOrder() throws Exception {
        Path file = dir.resolve("seq.txt");
        Files.writeString(file, "1 10 20 30\n2 20\n1 40\n2 10\n");
        InteractionLog log = InteractionFiles.read(file, InteractionFormat.SEQUENCE_TEXT, s -> 0);
        assertThat(log.timed()).isFalse();
        ItemVocabulary vocabulary = new ItemVocabulary(10);
        UserSequences users = log.events().build(vocabulary, vocabulary::indexOrAssign);
        assertThat(users.userIds()).containsExactly(1, 2);
        assertThat(users.timestamps().get(0)).containsExactly(0, 1, 2, 3);
        assertThat(users.timestamps().get(1)).containsExactly(0, 1);
        assertThat(Arrays.stream(users.items().get(0))
                        .mapToLong(vocabulary::idOf)
                        .toArray())
                .containsExactly(10, 20, 30, 40);
        assertThat(users.actions().get(1)).containsExactly(InteractionFiles.INTERACTED, InteractionFiles.INTERACTED);
        Files.writeString(file, "1 10 20\n2 20 x\n");
        assertThatThrownBy(() -> InteractionFiles.sequenceText(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + ":2: item id (field 3) 'x' is not an unsigned 64-bit integer");
    }

    @Test
    void recBoleTokensGetDenseIdsAndEventsAreOrderedByTimeTiesInFileOrder() throws Exception {
        Path file = dir.resolve("x.inter");
        Files.writeString(
                file,
                "user_id:token\titem_id:token\ttimestamp:float\n"
                        + "bob\tB07\t100.75\n"
                        + "ann\tB01\t50\n"
                        + "bob\tB01\t100.25\n"
                        + "bob\tB09\t100.25\n"
                        + "bob\tB03\t20\n");
        InteractionLog log = InteractionFiles.recBoleInter(file);
        assertThat(log.timed()).isTrue();
        ItemVocabulary vocabulary = new ItemVocabulary(10);
        UserSequences users = log.events().build(vocabulary, vocabulary::indexOrAssign);
        assertThat(users.userIds()).containsExactly(1, 2);
        // bob's events by time; B01 and B09 share 100.25 and keep their file order; B07 at 100.75 comes after both
        // although all three are second 100
        assertThat(Arrays.stream(users.items().get(0))
                        .mapToLong(vocabulary::idOf)
                        .toArray())
                .containsExactly(4, 2, 3, 1);
        assertThat(users.timestamps().get(0)).containsExactly(20, 100, 100, 100);
        assertThat(users.timestamps().get(1)).containsExactly(50);

        Files.writeString(file, "item_id:token\tuser_id:token\nB07\tbob\nB01\tann\nB03\tbob\n");
        InteractionLog untimed = InteractionFiles.recBoleInter(file);
        assertThat(untimed.timed()).isFalse();
        UserSequences inFileOrder = untimed.events().build(vocabulary, vocabulary::indexOrAssign);
        assertThat(inFileOrder.timestamps().get(0)).containsExactly(0, 1);
        assertThat(Arrays.stream(inFileOrder.items().get(0))
                        .mapToLong(vocabulary::idOf)
                        .toArray())
                .containsExactly(1, 3);

        Files.writeString(file, "user_id:token\titem_id:token\ttimestamp:float\nbob\tB07\tsoon\n");
        assertThatThrownBy(() -> InteractionFiles.recBoleInter(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + ":2: timestamp='soon' is not a decimal number");
    }

    // The Amazon Beauty file in data/ is the one the published results used: its counts as its README states them.
    @Test
    void theBundledBeautyFileHoldsTheCountsItsReadmeStates() throws Exception {
        Path beauty = Path.of("../data/amazon-beauty/Beauty.txt");
        InteractionLog log = InteractionFiles.read(beauty, InteractionFormat.of(beauty), s -> 0);
        assertThat(log.format()).isEqualTo(InteractionFormat.SEQUENCE_TEXT);
        ItemVocabulary vocabulary = new ItemVocabulary(Integer.MAX_VALUE - 8);
        UserSequences users = log.events().build(vocabulary, vocabulary::indexOrAssign);
        assertThat(users.size()).isEqualTo(22_363);
        assertThat(vocabulary.size() - ItemVocabulary.FIRST_ITEM).isEqualTo(12_101);
        assertThat(users.totalEvents()).isEqualTo(198_502);
    }

    @Test
    void formatsAreNamedOrToldByTheFileName() {
        assertThat(InteractionFormat.of(Path.of("a/ratings.csv"))).isEqualTo(InteractionFormat.MOVIELENS);
        assertThat(InteractionFormat.of(Path.of("seq.jsonl"))).isEqualTo(InteractionFormat.SEQ_JSONL);
        assertThat(InteractionFormat.of(Path.of("Beauty.TXT"))).isEqualTo(InteractionFormat.SEQUENCE_TEXT);
        assertThat(InteractionFormat.of(Path.of("ml-1m.inter"))).isEqualTo(InteractionFormat.RECBOLE_INTER);
        assertThatThrownBy(() -> InteractionFormat.of(Path.of("events.tsv")))
                .hasMessage("cannot tell the format of events.tsv from its name (.jsonl seq-jsonl, .csv movielens,"
                        + " .txt sequence-text, .inter recbole-inter): give --format"
                        + " seq-jsonl|movielens|sequence-text|recbole-inter");
        assertThat(InteractionFormat.named("RecBole-Inter")).isEqualTo(InteractionFormat.RECBOLE_INTER);
        assertThatThrownBy(() -> InteractionFormat.named("csv"))
                .hasMessage("unknown format 'csv'; the formats are seq-jsonl|movielens|sequence-text|recbole-inter");
    }
}
