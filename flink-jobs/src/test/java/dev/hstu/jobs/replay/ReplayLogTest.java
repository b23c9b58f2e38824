package dev.hstu.jobs.replay;

import dev.hstu.ctr.io.InputReject;
import dev.hstu.jobs.cli.ReplayCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayLogTest {

    @TempDir
    Path dir;

    @Test
    void sortsAllUsersEventsByTimeKeepingFileOrderForTiesAndReportsBadRecords() throws Exception {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(seq, String.join("\n",
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
            assertThat(reader.user(2)).as("a record without user id takes the line's user").isEqualTo(-1L);
            assertThat(reader.action(1)).isEqualTo(3);
            assertThat(reader.timestampMs(3)).isEqualTo(300_000);
        }
        assertThat(Files.exists(dir.resolve("work").resolve(ReplayLog.FILE_NAME + ".inprogress"))).isFalse();
    }

    @Test
    void refusesAMissingInputAndABadSpeed() {
        assertThatThrownBy(() -> ReplayLog.prepare(dir.resolve("nope.jsonl"), dir, r -> { }))
                .hasMessageContaining("replay input not found");
        assertThatThrownBy(() -> ReplayCommand.parseSpeed("fast"))
                .hasMessageContaining("--speed must be 'max' or a factor > 0, got 'fast'");
        assertThat(ReplayCommand.parseSpeed("max")).isZero();
        assertThat(ReplayCommand.parseSpeed("3600")).isEqualTo(3600.0);
    }
}
