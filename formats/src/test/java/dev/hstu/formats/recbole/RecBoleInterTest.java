package dev.hstu.formats.recbole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.InvalidInputException;
import dev.hstu.formats.io.TokenIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecBoleInterTest {
    @TempDir
    Path dir;

    private final List<RecBoleInter.Header> headers = new ArrayList<>();
    private final List<RecBoleInter.Row> rows = new ArrayList<>();
    private final List<InputReject> rejects = new ArrayList<>();
    private final RecBoleInter.Handler handler = new RecBoleInter.Handler() {
        @Override
        public void header(RecBoleInter.Header header) {
            headers.add(header);
        }

        @Override
        public void row(long line, RecBoleInter.Row row) {
            rows.add(row);
        }

        @Override
        public void reject(InputReject reject) {
            rejects.add(reject);
        }
    };

    @Test
    void rowsKeepTheirTokensRatingsAndTimestamps() throws IOException {
        Path file = dir.resolve("ml-100k.inter");
        Files.writeString(
                file,
                "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
                        + "196\t242\t3\t881250949\n"
                        + "alice\tB00ABC\t4.5\t881250950.25\r\n"
                        + "\n"
                        + "186\t302\t3\t8.9171742E8\n");
        RecBoleInter.read(file, handler);
        assertThat(headers).singleElement().satisfies(h -> {
            assertThat(h.timed()).isTrue();
            assertThat(h.rating()).isEqualTo(2);
        });
        assertThat(rows)
                .containsExactly(
                        new RecBoleInter.Row("196", "242", 3, 881250949),
                        new RecBoleInter.Row("alice", "B00ABC", 4.5, 881250950.25),
                        new RecBoleInter.Row("186", "302", 3, 891717420));
        assertThat(rejects).isEmpty();
    }

    @Test
    void fieldsMayComeInAnyOrderAndOthersAreSkipped() throws IOException {
        Path file = dir.resolve("x.inter");
        Files.writeString(file, "review:token_seq\titem_id:token\tlabel:float\tuser_id:token\nvery good\ti1\t1\tu1\n");
        RecBoleInter.read(file, handler);
        assertThat(headers.get(0).timed()).isFalse();
        assertThat(rows).containsExactly(new RecBoleInter.Row("u1", "i1", Double.NaN, Double.NaN));
    }

    @Test
    void malformedRowsAreRejectedWithTheirNumberAndReadingGoesOn() throws IOException {
        Path file = dir.resolve("bad.inter");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "user_id:token\titem_id:token\trating:float\ttimestamp:float",
                        "u1\ti1\t5\t100",
                        "u1\ti2\t5",
                        "u1\ti2\t5\t100\textra",
                        "\ti2\t5\t100",
                        "u1\t \t5\t100",
                        "u1\ti2\tgood\t100",
                        "u1\ti2\tNaN\t100",
                        "u1\ti2\t1e999\t100",
                        "u1\ti2\t5\t-1",
                        "u1\ti2\t5\t1e300",
                        "u1\ti2\t5\t0x10",
                        "u2\ti3\t1\t7"));
        RecBoleInter.read(file, handler);
        assertThat(rows)
                .containsExactly(new RecBoleInter.Row("u1", "i1", 5, 100), new RecBoleInter.Row("u2", "i3", 1, 7));
        assertThat(rejects.stream().map(r -> "line " + r.line() + ": " + r.reason()))
                .containsExactly(
                        "line 3: expected 4 tab-separated fields as the header, got 3",
                        "line 4: expected 4 tab-separated fields as the header, got 5",
                        "line 5: user_id is empty",
                        "line 6: item_id is empty",
                        "line 7: rating='good' is not a decimal number",
                        "line 8: rating='NaN' is not a decimal number",
                        "line 9: rating=1e999 is not a finite number",
                        "line 10: timestamp=-1 is out of range (seconds since 1970, >= 0)",
                        "line 11: timestamp=1e300 is out of range (seconds since 1970, >= 0)",
                        "line 12: timestamp='0x10' is not a decimal number");
        assertThat(rejects.get(0).where()).isEqualTo(file + ":3");
    }

    @Test
    void aBadHeaderRefusesTheFileNamingLineOne() throws IOException {
        assertRefused("", "an empty file: the first line must be the header of name:type fields");
        assertRefused("user_id\titem_id\n", "header field 1 'user_id' is not name:type");
        assertRefused("user_id:token\titem_id:string\n", "header field 2 'item_id:string' has type 'string'");
        assertRefused("user_id:token\tuser_id:token\titem_id:token\n", "header field 'user_id' is named twice");
        assertRefused("user_id:float\titem_id:token\n", "header field 'user_id:float' must have type token, got float");
        assertRefused(
                "user_id:token\titem_id:token\ttimestamp:token\n",
                "header field 'timestamp:token' must have type float, got token");
        assertRefused(
                "session_id:token\titem_id:token\n",
                "the header needs user_id:token and item_id:token, got 'session_id:token\titem_id:token'");
        assertRefused("196\t242\t3\t881250949\n", "header field 1 '196' is not name:type");
    }

    private void assertRefused(String content, String reason) throws IOException {
        Path file = dir.resolve("h.inter");
        Files.writeString(file, content);
        assertThatThrownBy(() -> RecBoleInter.read(file, handler))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(file + ":1: " + reason);
        assertThat(rows).isEmpty();
    }

    @Test
    void whatIsWrittenReadsBack() throws IOException {
        Path file = dir.resolve("out.inter");
        List<RecBoleInter.Row> written =
                List.of(new RecBoleInter.Row("u 1", "i1", 4, 1700000000), new RecBoleInter.Row("u2", "i1", 2.5, 0.5));
        assertThat(RecBoleInter.write(file, true, true, written)).isEqualTo(2);
        RecBoleInter.read(file, handler);
        assertThat(rows).isEqualTo(written);
        assertThat(Files.readString(file))
                .isEqualTo("user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
                        + "u 1\ti1\t4\t1700000000\nu2\ti1\t2.5\t0.5\n");
        assertThatThrownBy(() -> RecBoleInter.write(
                        file, false, false, List.of(new RecBoleInter.Row("a\tb", "i", Double.NaN, Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecBoleInter.write(
                        file, true, false, List.of(new RecBoleInter.Row("a", "i", Double.NaN, Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensGetDenseIdsInTheOrderFirstSeen() {
        TokenIds ids = new TokenIds();
        assertThat(new long[] {ids.id("b"), ids.id("a"), ids.id("b"), ids.id("c"), ids.id("a")})
                .containsExactly(1, 2, 1, 3, 2);
        assertThat(ids.size()).isEqualTo(3);
    }
}
