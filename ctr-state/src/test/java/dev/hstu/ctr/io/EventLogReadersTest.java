package dev.hstu.ctr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogReadersTest {
    @TempDir
    Path dir;

    private final List<CtrEvent> events = new ArrayList<>();
    private final List<InputReject> rejects = new ArrayList<>();
    private int profileRows;
    private final EventLogSink sink = new EventLogSink() {
        @Override
        public void event(long line, CtrEvent event) {
            events.add(event);
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
    private final List<String> userFeatures = new ArrayList<>();

    @Test
    void csvRatingsBecomeClicksAtFourAndBadRowsAreNamed() throws IOException {
        Path csv = dir.resolve("ratings.csv");
        Files.writeString(
                csv,
                String.join(
                        "\n",
                        "userId,movieId,rating,timestamp",
                        "1,10,4.0,964982703",
                        "1,11,3.5,964982704",
                        "2,10,NaN,964982705",
                        "2,12,-1,964982706",
                        "2,13,5,abc",
                        "x,13,5,1",
                        "3,14,4.5",
                        "18446744073709551615,15,4.5,1"));
        EventLogs.readMovieLens(csv, MovieLensActions.clickAtOrAbove(4.0), sink);
        assertThat(events)
                .containsExactly(
                        new CtrEvent(1, 10, 1, 964_982_703_000L),
                        new CtrEvent(1, 11, 0, 964_982_704_000L),
                        new CtrEvent(-1L, 15, 1, 1000));
        assertThat(rejects)
                .extracting(r -> "line " + r.line() + ": " + r.reason())
                .containsExactly(
                        "line 4: rating=NaN must be a finite number in [0, 5]",
                        "line 5: rating=-1 must be a finite number in [0, 5]",
                        "line 6: timestamp='abc' is not an integer",
                        "line 7: userId='x' is not an unsigned integer",
                        "line 8: expected 4 fields, got 3");
    }

    @Test
    void csvWithoutTheHeaderIsRefused() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,10,4.0,964982703\n");
        assertThatThrownBy(() -> EventLogs.readMovieLens(csv, MovieLensActions.clickAtOrAbove(4.0), sink))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("first line must be 'userId,movieId,rating,timestamp'");
    }

    @Test
    void seqJsonlSkipsProfileRowsAndNamesBadRecords() throws IOException {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(
                seq,
                String.join(
                        "\n",
                        "[[7, null, {\"103\": 2}, null, 0, null], [7, 100, null, {\"112\": 1}, 1, 1700000000], [null, 101, null, null, 0, 1700000100]]",
                        "[[\"8\", 100, null, null, 2, 1700000200], [8, 102, null, null, -1, 1700000300], [8, 103, null, null, 1]]",
                        "[[null, 104, null, null, 1, 1700000400]]",
                        "{not json",
                        "[[9, 100, null, null, 1.5, 1700000500]]"));
        EventLogs.readSeqJsonl(seq, sink);
        assertThat(events)
                .containsExactly(
                        new CtrEvent(7, 100, 1, 1_700_000_000_000L),
                        new CtrEvent(7, 101, 0, 1_700_000_100_000L),
                        new CtrEvent(8, 100, 2, 1_700_000_200_000L));
        assertThat(profileRows).isEqualTo(1);
        assertThat(userFeatures).containsExactly("1:7:{\"103\":2}");
        assertThat(rejects)
                .extracting(r -> "line " + r.line() + ": " + r.reason())
                .containsExactly(
                        "line 2: record 1: action_type=-1 must be an integer bitmask >= 0",
                        "line 2: record 2: timestamp is missing",
                        "line 3: record 0: no user_id in the record nor anywhere on the line",
                        "line 4: malformed JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name",
                        "line 5: record 0: action_type=1.5 must be an integer bitmask >= 0");
    }

    @Test
    void seqJsonlReportsUserFeaturesOfProfileRowsAndEventsButNotOfRefusedRecords() throws IOException {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(
                seq,
                String.join(
                        "\n",
                        "[[7, null, {\"103\": 2}, null, 0, null], [7, 100, {\"104\": [1, 2]}, null, 1, 1700000000]]",
                        "[[8, 100, {\"103\": 3}, null, -1, 1700000200], [8, 101, [1], null, 1, 1700000300]]",
                        "[[null, null, {\"103\": 4}, null, 0, null]]"));
        EventLogs.readSeqJsonl(seq, sink);
        assertThat(userFeatures).containsExactly("1:7:{\"103\":2}", "1:7:{\"104\":[1,2]}");
        assertThat(events).containsExactly(new CtrEvent(7, 100, 1, 1_700_000_000_000L));
        assertThat(rejects)
                .extracting(r -> "line " + r.line() + ": " + r.reason())
                .containsExactly(
                        "line 2: record 0: action_type=-1 must be an integer bitmask >= 0",
                        "line 2: record 1: user_feat=[1] must be an object or null",
                        "line 3: record 0: user_feat without a user_id in the record or anywhere on the line");
    }

    @Test
    void formatIsDetectedFromTheFileName() {
        assertThat(EventLogFormat.detect(Path.of("a/ratings.csv"))).isEqualTo(EventLogFormat.CSV);
        assertThat(EventLogFormat.detect(Path.of("seq.jsonl"))).isEqualTo(EventLogFormat.SEQ_JSONL);
        assertThatThrownBy(() -> EventLogFormat.detect(Path.of("log.txt"))).hasMessageContaining("--format");
    }
}
