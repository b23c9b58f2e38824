package dev.hstu.formats.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqJsonlTest {
    @TempDir
    Path dir;

    private final List<SeqJsonl.Interaction> events = new ArrayList<>();
    private final List<InputReject> rejects = new ArrayList<>();
    private final List<String> userFeatures = new ArrayList<>();
    private int profileRows;
    private final SeqJsonl.Handler handler = new SeqJsonl.Handler() {
        @Override
        public void interaction(long line, SeqJsonl.Interaction interaction) {
            events.add(interaction);
        }

        @Override
        public void reject(InputReject reject) {
            rejects.add(reject);
        }

        @Override
        public void profileRow(long line) {
            profileRows++;
        }

        @Override
        public void userFeatures(long line, long user, JsonNode features) {
            userFeatures.add(line + ":" + user + ":" + features);
        }
    };

    private List<String> rejected() {
        return rejects.stream().map(r -> "line " + r.line() + ": " + r.reason()).toList();
    }

    @Test
    void skipsProfileRowsAndNamesBadRecords() throws IOException {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(
                seq,
                String.join(
                        "\n",
                        "[[7, null, {\"103\": 2}, null, 0, null], [7, 100, null, {\"112\": 1}, 1, 1700000000], [null, 101, null, null, 0, 1700000100]]",
                        "[[\"8\", 100, null, null, 2, 1700000200], [8, 102, null, null, -1, 1700000300], [8, 103, null, null, 1]]",
                        "[[null, 104, null, null, 1, 1700000400]]",
                        "{not json",
                        "[[9, 100, null, null, 1.5, 1700000500], [10, 100, null, null, 1, 1700000500]]",
                        "[[\"18446744073709551615\", 20, null, null, 3, 100], [11, \"x\", null, null, 0, -5]]"));
        SeqJsonl.read(seq, handler);
        assertThat(events)
                .containsExactly(
                        new SeqJsonl.Interaction(7, 100, 1, 1_700_000_000L),
                        new SeqJsonl.Interaction(7, 101, 0, 1_700_000_100L),
                        new SeqJsonl.Interaction(8, 100, 2, 1_700_000_200L),
                        new SeqJsonl.Interaction(-1L, 20, 3, 100));
        assertThat(profileRows).isEqualTo(1);
        assertThat(userFeatures).containsExactly("1:7:{\"103\":2}");
        assertThat(rejected())
                .containsExactly(
                        "line 2: record 1: action_type=-1 must be an integer bitmask >= 0",
                        "line 2: record 2: timestamp is missing",
                        "line 3: record 0: no user_id in the record nor anywhere on the line",
                        "line 4: malformed JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name",
                        "line 5: record 0: action_type=1.5 must be an integer bitmask >= 0",
                        "line 5: record 1: user_id 10 differs from the line's user 9",
                        "line 6: record 1: user_id 11 differs from the line's user 18446744073709551615");
        assertThat(rejects.get(0).toString())
                .isEqualTo(seq + ":2: record 1: action_type=-1 must be an integer bitmask >= 0");
    }

    @Test
    void reportsUserFeaturesOfProfileRowsAndEventsButNotOfRefusedRecords() throws IOException {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(
                seq,
                String.join(
                        "\n",
                        "[[7, null, {\"103\": 2}, null, 0, null], [7, 100, {\"104\": [1, 2]}, null, 1, 1700000000]]",
                        "[[8, 100, {\"103\": 3}, null, -1, 1700000200], [8, 101, [1], null, 1, 1700000300]]",
                        "[[null, null, {\"103\": 4}, null, 0, null]]",
                        "[[9, \"x\", null, null, 0, 5], [9, 1, null, null, 0, -5]]"));
        SeqJsonl.read(seq, handler);
        assertThat(userFeatures).containsExactly("1:7:{\"103\":2}", "1:7:{\"104\":[1,2]}");
        assertThat(events).containsExactly(new SeqJsonl.Interaction(7, 100, 1, 1_700_000_000L));
        assertThat(rejected())
                .containsExactly(
                        "line 2: record 0: action_type=-1 must be an integer bitmask >= 0",
                        "line 2: record 1: user_feat=[1] must be an object or null",
                        "line 3: record 0: user_feat without a user_id in the record or anywhere on the line",
                        "line 4: record 0: item_id=\"x\" is not an unsigned 64-bit id",
                        "line 4: record 1: timestamp must be >= 0 whole seconds since 1970, got -5");
    }

    @Test
    void aHandlerThatAcceptsNoBadRecordStopsAtTheFirstNamingFileLineAndReason() throws IOException {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(seq, "[[7, 1, null, null, 0, 5]]\n[[7, 2, null, null, 0]]\n[[7, 3, null, null, 0, 6]]\n");
        List<Long> items = new ArrayList<>();
        assertThatThrownBy(() -> SeqJsonl.read(seq, new SeqJsonl.Handler() {
                    @Override
                    public void interaction(long line, SeqJsonl.Interaction interaction) {
                        items.add(interaction.item());
                    }

                    @Override
                    public void reject(InputReject reject) throws IOException {
                        throw reject.toException();
                    }
                }))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(seq + ":2: record 0: timestamp is missing");
        assertThat(items).containsExactly(1L);
    }

    @Test
    void writtenLinesReadBackAsTheSameInteractions() throws IOException {
        Path seq = dir.resolve("seq.jsonl");
        List<List<SeqJsonl.Interaction>> users = List.of(
                List.of(new SeqJsonl.Interaction(7, 100, 1, 300), new SeqJsonl.Interaction(7, 101, 0, 200)),
                List.of(new SeqJsonl.Interaction(-1L, 5, 3, 100)));
        assertThat(SeqJsonl.write(seq, users)).isEqualTo(3);
        assertThat(Files.readAllLines(seq))
                .containsExactly(
                        "[[7,100,null,null,1,300],[7,101,null,null,0,200]]",
                        "[[18446744073709551615,5,null,null,3,100]]");
        SeqJsonl.read(seq, handler);
        assertThat(events)
                .containsExactlyElementsOf(users.stream().flatMap(List::stream).toList());
        assertThat(rejects).isEmpty();
        assertThatThrownBy(() -> SeqJsonl.write(
                        dir.resolve("bad.jsonl"),
                        List.of(List.of(new SeqJsonl.Interaction(1, 1, 0, 0), new SeqJsonl.Interaction(2, 1, 0, 0)))))
                .hasMessageContaining("one seq.jsonl line holds one user");
        assertThat(dir.resolve("bad.jsonl")).doesNotExist();
    }
}
