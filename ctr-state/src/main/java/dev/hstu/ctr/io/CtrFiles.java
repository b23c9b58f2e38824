package dev.hstu.ctr.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.ctr.BetaPrior;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrFeature;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.CtrTables;
import dev.hstu.ctr.PopularityBin;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.formats.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The precompute's output files, shared by offline training and the stream. Format version 1:
 *
 * <p><b>{@code user_ctr.json}, {@code item_ctr.json}</b>: one JSON object whose keys are the ids as
 * unsigned decimal strings in ascending numeric order, each mapping to
 *
 * <pre>{@code
 * {"ctr": 0.61,           smoothed CTR (clicks + a) / (exposures + a + b), counts as of as_of_ms
 *  "ctr_z": 0.42,         (ctr - standardisation.mean) / standardisation.std, 0 if std is 0
 *  "exposures": 12.0,     decayed exposures at as_of_ms (plain count without decay)
 *  "clicks": 7.0,         decayed weighted clicks at as_of_ms
 *  "last_event_ms": 964982703000,
 *  "bucket": 1}           popularity bucket, 0 = coldest .. number of quantiles = hottest
 * }</pre>
 *
 * <p><b>{@code ctr_meta.json}</b>:
 *
 * <pre>{@code
 * {"format_version": 1, "created_by": "hstu ctr", "as_of_ms": ...,
 *  "input": {"path": ..., "format": "csv" | "seq_jsonl", "events_read": ..., "events_folded": ...,
 *            "rejected": ..., "profile_rows": ..., "click_rating": 4.0 (csv only)},
 *  "config": {"prior": "auto" | "a,b", "k_clip": [10.0, 10000.0], "half_life_ms": 0,
 *             "action_weights": {"0": 1.0}, "bucket_quantiles": [0.8],
 *             "popularity_bins_per_doubling": 32},
 *  "user": {"keys": ..., "version": ..., "prior": {"a": ..., "b": ...},
 *           "standardisation": {"mean": ..., "std": ...}, "bucket_thresholds": [bin, ...]},
 *  "item": {... same ...}}
 * }</pre>
 *
 * Standardisation mean/std are the mean and population standard deviation of the keys' raw click
 * rates (the moments the prior is fitted from). Doubles are written in their shortest round-trip
 * form, so reading them back gives the same bits. Files are written through {@link AtomicFiles}, so a
 * reader never sees a half-written file.
 */
public final class CtrFiles {
    /** Format version written to ctr_meta.json. */
    public static final int FORMAT_VERSION = 1;
    /** Name of the metadata file. */
    public static final String META = "ctr_meta.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CtrFiles() {}

    /** {@code user_ctr.json} or {@code item_ctr.json}. */
    public static String tableFileName(CtrSide side) {
        return side.fileName() + "_ctr.json";
    }

    /**
     * Facts about the input that go to ctr_meta.json.
     *
     * @param path input path as given
     * @param format input format
     * @param eventsRead events read from the file
     * @param eventsFolded events folded into the statistics
     * @param rejected rows and events rejected
     * @param profileRows seq.jsonl user-profile rows (not interactions)
     * @param clickRating CSV rating threshold for a click, NaN for seq.jsonl
     */
    public record InputSummary(
            String path,
            EventLogFormat format,
            long eventsRead,
            long eventsFolded,
            long rejected,
            long profileRows,
            double clickRating) {}

    /** Writes the three files into {@code dir} (created if missing). */
    public static void write(
            Path dir, CtrTables users, CtrTables items, CtrConfig config, long asOfMs, InputSummary input)
            throws IOException {
        Files.createDirectories(dir);
        writeTable(dir.resolve(tableFileName(CtrSide.USER)), users.features(asOfMs, config.decay()));
        writeTable(dir.resolve(tableFileName(CtrSide.ITEM)), items.features(asOfMs, config.decay()));
        writeMeta(dir.resolve(META), users.population(), items.population(), config, asOfMs, input);
    }

    private static void writeTable(Path file, List<CtrFeature> features) throws IOException {
        writeAtomically(file, gen -> {
            gen.setPrettyPrinter(new OneKeyPerLine());
            gen.writeStartObject();
            for (CtrFeature f : features) {
                gen.writeObjectFieldStart(Long.toUnsignedString(f.key()));
                gen.writeNumberField("ctr", f.ctr());
                gen.writeNumberField("ctr_z", f.ctrZ());
                gen.writeNumberField("exposures", f.exposures());
                gen.writeNumberField("clicks", f.clicks());
                gen.writeNumberField("last_event_ms", f.lastEventMs());
                gen.writeNumberField("bucket", f.popularityBucket());
                gen.writeEndObject();
            }
            gen.writeEndObject();
        });
    }

    private static void writeMeta(
            Path file,
            PopulationSnapshot users,
            PopulationSnapshot items,
            CtrConfig config,
            long asOfMs,
            InputSummary input)
            throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format_version", FORMAT_VERSION);
        meta.put("created_by", "hstu ctr");
        meta.put("as_of_ms", asOfMs);
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("path", input.path());
        in.put("format", input.format().name().toLowerCase(java.util.Locale.ROOT));
        in.put("events_read", input.eventsRead());
        in.put("events_folded", input.eventsFolded());
        in.put("rejected", input.rejected());
        in.put("profile_rows", input.profileRows());
        if (!Double.isNaN(input.clickRating())) {
            in.put("click_rating", input.clickRating());
        }
        meta.put("input", in);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("prior", config.prior().priorText());
        cfg.put("k_clip", List.of(config.prior().kMin(), config.prior().kMax()));
        cfg.put("half_life_ms", config.decay().halfLifeMs());
        Map<String, Double> weights = new LinkedHashMap<>();
        config.actionWeights().asMap().forEach((bit, w) -> weights.put(Integer.toString(bit), w));
        cfg.put("action_weights", weights);
        cfg.put("bucket_quantiles", config.bucketQuantiles().values());
        cfg.put("popularity_bins_per_doubling", PopularityBin.BINS_PER_DOUBLING);
        meta.put("config", cfg);
        meta.put("user", population(users));
        meta.put("item", population(items));
        writeAtomically(file, gen -> {
            gen.useDefaultPrettyPrinter();
            JSON.writeValue(gen, meta);
        });
    }

    private static Map<String, Object> population(PopulationSnapshot p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keys", p.keys());
        out.put("version", p.version());
        out.put("prior", Map.of("a", p.prior().a(), "b", p.prior().b()));
        Map<String, Object> std = new LinkedHashMap<>();
        std.put("mean", p.rateMean());
        std.put("std", p.rateStd());
        out.put("standardisation", std);
        out.put("bucket_thresholds", p.bucketThresholds());
        return out;
    }

    /** Reads user_ctr.json or item_ctr.json back; the result is keyed by id. */
    public static Map<Long, CtrFeature> readTable(Path file, CtrSide side, long asOfMs) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        Map<Long, CtrFeature> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            long key = Long.parseUnsignedLong(e.getKey());
            out.put(
                    key,
                    new CtrFeature(
                            side,
                            key,
                            asOfMs,
                            v.get("last_event_ms").asLong(),
                            v.get("exposures").asDouble(),
                            v.get("clicks").asDouble(),
                            v.get("ctr").asDouble(),
                            v.get("ctr_z").asDouble(),
                            v.get("bucket").asInt(),
                            0));
        }
        return out;
    }

    /** Reads one side's population statistics from ctr_meta.json. */
    public static PopulationSnapshot readPopulation(Path metaFile, CtrSide side) throws IOException {
        JsonNode p = JSON.readTree(metaFile.toFile()).get(side.fileName());
        JsonNode thresholds = p.get("bucket_thresholds");
        long[] t = new long[thresholds.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = thresholds.get(i).asLong();
        }
        return new PopulationSnapshot(
                side,
                p.get("version").asLong(),
                p.get("keys").asLong(),
                p.get("standardisation").get("mean").asDouble(),
                p.get("standardisation").get("std").asDouble(),
                new BetaPrior(
                        p.get("prior").get("a").asDouble(),
                        p.get("prior").get("b").asDouble()),
                t);
    }

    /** Reads {@code as_of_ms} from ctr_meta.json. */
    public static long readAsOf(Path metaFile) throws IOException {
        return JSON.readTree(metaFile.toFile()).get("as_of_ms").asLong();
    }

    /** Puts each top-level entry on its own line so tables diff and grep well. */
    private static final class OneKeyPerLine extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        private static boolean topLevel(JsonGenerator g) {
            return g.getOutputContext().getNestingDepth() == 1;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            if (topLevel(g)) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(topLevel(g) ? ",\n" : ",");
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (topLevel(g) && entries > 0) {
                g.writeRaw('\n');
            }
            g.writeRaw('}');
        }
    }

    private interface JsonWriting {
        void write(JsonGenerator gen) throws IOException;
    }

    private static void writeAtomically(Path file, JsonWriting body) throws IOException {
        AtomicFiles.write(file, out -> {
            try (JsonGenerator gen = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                body.write(gen);
                gen.writeRaw('\n');
            }
        });
    }
}
