package dev.hstu.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.io.InputReject;
import dev.hstu.jobs.cli.ReplayCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayLogTest {

    @TempDir
    Path dir;

    @Test
    void sortsAllUsersEventsByTimeKeepingFileOrderForTiesAndReportsBadRecords() throws Exception {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(
                seq,
                String.join(
                        "\n",
                        "[[1, 10, null, null, 1, 300], [1, 11, null, null, 0, 100], [1, null, {\"age\": 3}, null, 0, 50]]",
                        "[[\"18446744073709551615\", 20, null, null, 3, 100], [null, 21, null, null, 0, 200]]",
                        "not json",
                        "[[3, 30, null, null, 1]]",
                        ""));
        List<InputReject> rejects = new ArrayList<>();

        ReplayLog log = ReplayLog.prepare(seq, dir.resolve("work"), rejects::add);

        assertThat(log.events()).isEqualTo(4);
        assertThat(log.firstEventMs()).isEqualTo(100_000);
        assertThat(log.lastEventMs()).isEqualTo(300_000);
        assertThat(rejects).extracting(InputReject::line).containsExactly(3L, 4L);
        try (ReplayLog.Reader reader = new ReplayLog.Reader(log.file())) {
            assertThat(reader.events()).isEqualTo(4);
            long[] items = new long[4];
            for (int i = 0; i < 4; i++) {
                items[i] = reader.item(i);
            }
            assertThat(items).as("time order; equal times in file order").containsExactly(11, 20, 21, 10);
            assertThat(Long.toUnsignedString(reader.user(1))).isEqualTo("18446744073709551615");
            assertThat(reader.user(2))
                    .as("a record without user id takes the line's user")
                    .isEqualTo(-1L);
            assertThat(reader.action(1)).isEqualTo(3);
            assertThat(reader.timestampMs(3)).isEqualTo(300_000);
        }
        assertThat(Files.exists(dir.resolve("work").resolve(ReplayLog.FILE_NAME + ".inprogress")))
                .isFalse();
        assertThat(ReplayLog.readUserFeatures(log.userFeatures())).containsExactly(Map.entry(1L, "{\"age\":3}"));
    }

    @Test
    void mapsIdsAndRejectsTheUnmappedWithTheReason() throws Exception {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(
                seq,
                String.join(
                        "\n",
                        "[[1, null, {\"103\": 2}, null, 0, null], [1, 1, null, null, 1, 100], [1, 2, null, null, 0, 200]]",
                        "[[2, 1, {\"103\": 1}, null, 1, 150], [2, 9, null, null, 1, 160]]",
                        "[[3, 1, {\"103\": 4}, null, 1, 170]]"));
        Map<Long, Long> users = Map.of(1L, 1001L, 2L, 1002L);
        Map<Long, Long> items = Map.of(1L, 501L, 2L, 502L);
        ReplayLog.IdMapping ids = new ReplayLog.IdMapping() {
            @Override
            public long user(long id) {
                return lookup(users, "user", id);
            }

            @Override
            public long item(long id) {
                return lookup(items, "item", id);
            }
        };
        List<InputReject> rejects = new ArrayList<>();

        ReplayLog log = ReplayLog.prepare(seq, dir.resolve("work"), rejects::add, ids);

        assertThat(log.events()).isEqualTo(3);
        try (ReplayLog.Reader reader = new ReplayLog.Reader(log.file())) {
            assertThat(List.of(
                            reader.user(0),
                            reader.item(0),
                            reader.user(1),
                            reader.item(1),
                            reader.user(2),
                            reader.item(2)))
                    .containsExactly(1001L, 501L, 1002L, 501L, 1001L, 502L);
        }
        assertThat(ReplayLog.readUserFeatures(log.userFeatures()))
                .containsOnly(Map.entry(1001L, "{\"103\":2}"), Map.entry(1002L, "{\"103\":1}"));
        assertThat(rejects).extracting(InputReject::line).containsExactly(2L, 3L, 3L);
        assertThat(rejects)
                .extracting(InputReject::reason)
                .containsExactly(
                        "item 9 is not in the index", "user 3 is not in the index", "user 3 is not in the index");
    }

    private static long lookup(Map<Long, Long> index, String what, long id) {
        Long mapped = index.get(id);
        if (mapped == null) {
            throw new IllegalArgumentException(what + " " + id + " is not in the index");
        }
        return mapped;
    }

    @Test
    void refusesAMissingInputAndABadSpeed() {
        assertThatThrownBy(() -> ReplayLog.prepare(dir.resolve("nope.jsonl"), dir, r -> {}))
                .hasMessageContaining("replay input not found");
        assertThatThrownBy(() -> ReplayCommand.parseSpeed("fast"))
                .hasMessageContaining("--speed must be 'max' or a factor > 0, got 'fast'");
        assertThat(ReplayCommand.parseSpeed("max")).isZero();
        assertThat(ReplayCommand.parseSpeed("3600")).isEqualTo(3600.0);
    }
}
