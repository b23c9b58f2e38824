package dev.hstu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResultsTwinTest {

    private static final String MD = """
            # Quality on ml-latest-small

            Command: `bench/run quality --seeds 3`

            - date: 2026-12-03
            - machine: 2 cores

            ## Test metrics

            Each encoder
            trained from scratch.

            | method | HR@10 | events/s | HR@10 per seed |
            | --- | ---: | --- | --- |
            | HSTU | 0.0891 ± 0.0050 | 222,087 | 42: 0.0934 |
            | most-popular | **0.0393** | 1e-3 | - |
            """;

    @Test
    void tablesBecomeRowsWithNumbersWhereTheCellIsANumberAndTheTextIsKept() {
        JsonNode twin = ResultsTwin.of("quality.md", MD);
        assertThat(twin.get("title").asText()).isEqualTo("Quality on ml-latest-small");
        assertThat(twin.get("command").asText()).isEqualTo("bench/run quality --seeds 3");
        assertThat(twin.get("text").get(1).asText()).isEqualTo("- date: 2026-12-03");
        JsonNode section = twin.get("sections").get(0);
        assertThat(section.get("heading").asText()).isEqualTo("Test metrics");
        assertThat(section.get("text").get(0).asText()).isEqualTo("Each encoder trained from scratch.");
        JsonNode rows = section.get("tables").get(0);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("HR@10").get("mean").decimalValue()).isEqualByComparingTo("0.0891");
        assertThat(rows.get(0).get("HR@10").get("std").decimalValue()).isEqualByComparingTo("0.0050");
        assertThat(rows.get(0).get("events/s").isNumber()).isTrue();
        assertThat(rows.get(0).get("events/s").asLong()).isEqualTo(222_087L);
        assertThat(rows.get(1).get("HR@10").decimalValue()).isEqualByComparingTo("0.0393");
        assertThat(rows.get(1).get("events/s").doubleValue()).isEqualTo(1e-3);
        assertThat(rows.get(1).get("HR@10 per seed").asText()).isEqualTo("-");
    }

    @Test
    void everyCommittedResultsFileHasItsTwin() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("results"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".md")))
                    .isNotEmpty()
                    .allSatisfy(md -> assertThat(ResultsTwin.twinOf(md)).exists());
        }
    }
}
