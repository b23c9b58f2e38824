package dev.hstu.ctr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.ctr.BatchCtrComputation;
import dev.hstu.ctr.BucketQuantiles;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrFeature;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayPolicy;
import dev.hstu.ctr.MovieLensRatings;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.io.CtrFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CtrCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new CtrCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void precomputesMovieLensFilesThatEqualTheBatchComputation() throws IOException {
        Path outDir = dir.resolve("ctr");
        int code = run(
                "--input",
                MovieLensRatings.file().toString(),
                "--out",
                outDir.toString(),
                "--prior",
                "auto",
                "--k_clip",
                "10,10000",
                "--half-life",
                "30d",
                "--bucket-quantiles",
                "0.5,0.9");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("100836 events folded, 0 rejected");

        CtrConfig config = CtrConfig.defaults()
                .withDecay(DecayPolicy.halfLife(Duration.ofDays(30)))
                .withBucketQuantiles(BucketQuantiles.of(0.5, 0.9));
        BatchCtrComputation.Result expected = new BatchCtrComputation(config).compute(MovieLensRatings.events());
        long asOf = CtrFiles.readAsOf(outDir.resolve(CtrFiles.META));
        assertThat(asOf).isEqualTo(expected.items().latestEventMs());
        for (CtrSide side : CtrSide.values()) {
            Map<Long, CtrFeature> written =
                    CtrFiles.readTable(outDir.resolve(CtrFiles.tableFileName(side)), side, asOf);
            List<CtrFeature> features = expected.side(side).features(asOf, config.decay());
            assertThat(written).hasSize(features.size());
            for (CtrFeature f : features) {
                CtrFeature w = written.get(f.key());
                assertThat(w.ctr()).isEqualTo(f.ctr());
                assertThat(w.ctrZ()).isEqualTo(f.ctrZ());
                assertThat(w.exposures()).isEqualTo(f.exposures());
                assertThat(w.popularityBucket()).isEqualTo(f.popularityBucket());
            }
            PopulationSnapshot p = CtrFiles.readPopulation(outDir.resolve(CtrFiles.META), side);
            assertThat(p.prior()).isEqualTo(expected.side(side).population().prior());
            assertThat(p.bucketThresholds())
                    .containsExactly(expected.side(side).population().bucketThresholds());
        }
        JsonNode meta =
                new ObjectMapper().readTree(outDir.resolve(CtrFiles.META).toFile());
        assertThat(meta.get("config").get("k_clip").toString()).isEqualTo("[10.0,10000.0]");
        assertThat(meta.get("config").get("half_life_ms").asLong())
                .isEqualTo(Duration.ofDays(30).toMillis());
        assertThat(meta.get("input").get("click_rating").asDouble()).isEqualTo(4.0);
        assertThat(meta.get("user").get("standardisation").get("std").asDouble())
                .isGreaterThan(0);
        assertThat(Files.readAllLines(outDir.resolve("user_ctr.json")).get(1)).startsWith("\"1\":{\"ctr\":");
    }

    @Test
    void seqJsonlWithFixedPriorIsSmoothedWithThatPrior() throws IOException {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(
                seq,
                String.join(
                        "\n",
                        "[[1, null, {\"g\": 1}, null, 0, null], [1, 10, null, null, 1, 100], [1, 11, null, null, 0, 200]]",
                        "[[2, 10, null, null, 0, 300]]"));
        int code = run("-i", seq.toString(), "-o", dir.toString(), "--prior", "1,3");
        assertThat(code).as(err.toString()).isZero();
        Map<Long, CtrFeature> items = CtrFiles.readTable(dir.resolve("item_ctr.json"), CtrSide.ITEM, 300_000);
        assertThat(items.get(10L).ctr()).isCloseTo((1 + 1) / (2.0 + 4), within(1e-15));
        assertThat(items.get(11L).ctr()).isCloseTo(1 / (1.0 + 4), within(1e-15));
        JsonNode meta = new ObjectMapper().readTree(dir.resolve(CtrFiles.META).toFile());
        assertThat(meta.get("input").get("profile_rows").asInt()).isEqualTo(1);
        assertThat(meta.get("as_of_ms").asLong()).isEqualTo(300_000);
    }

    @Test
    void badRowsFailTheRunWithTheirReasonUnlessSkipped() throws IOException {
        Path csv = dir.resolve("ratings.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,10,4.0,100\n1,11,NaN,200\n2,10,2.0,300\n");
        assertThat(run("-i", csv.toString(), "-o", dir.resolve("a").toString())).isEqualTo(1);
        assertThat(err.toString())
                .contains("line 3: rating=NaN must be a finite number in [0, 5]")
                .contains("--skip-invalid");
        assertThat(dir.resolve("a").resolve(CtrFiles.META)).doesNotExist();

        assertThat(run("-i", csv.toString(), "-o", dir.resolve("b").toString(), "--skip-invalid"))
                .isZero();
        assertThat(Files.readAllLines(dir.resolve("b").resolve("ctr_rejected.jsonl")))
                .containsExactly(
                        "{\"line\":3,\"reason\":\"rating=NaN must be a finite number in [0, 5]\",\"excerpt\":\"1,11,NaN,200\"}");
        JsonNode meta = new ObjectMapper()
                .readTree(dir.resolve("b").resolve(CtrFiles.META).toFile());
        assertThat(meta.get("input").get("rejected").asInt()).isEqualTo(1);
        assertThat(meta.get("input").get("events_folded").asInt()).isEqualTo(2);
    }

    @Test
    void unknownActionCodesAreRejectedByTheConfiguredWeights() throws IOException {
        Path seq = dir.resolve("seq.jsonl");
        Files.writeString(seq, "[[1, 10, null, null, 4, 100]]\n");
        assertThat(run("-i", seq.toString(), "-o", dir.toString())).isEqualTo(1);
        assertThat(err.toString())
                .contains("line 1: UNKNOWN_ACTION: action=4 has bits 0x4 outside the configured action bits 0x1");
        assertThat(run("-i", seq.toString(), "-o", dir.toString(), "--action-weights", "0=1,2=0.5"))
                .isZero();
    }

    @Test
    void helpAndUsageErrors() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: ctr").contains("--k_clip").contains("--half-life");
        assertThat(run("-i", "x.csv", "-o", "y", "--k_clip", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("k_clip '10' must be two numbers");
        assertThat(run("-i", "x.csv", "-o", "y", "--half-life", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }
}
