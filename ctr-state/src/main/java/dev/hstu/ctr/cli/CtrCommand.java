package dev.hstu.ctr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.ctr.ActionWeights;
import dev.hstu.ctr.BatchCtrComputation;
import dev.hstu.ctr.BucketQuantiles;
import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayPolicy;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.PriorSpec;
import dev.hstu.ctr.RejectedCtrEvent;
import dev.hstu.ctr.io.CtrFiles;
import dev.hstu.ctr.io.EventLogFormat;
import dev.hstu.ctr.io.EventLogSink;
import dev.hstu.ctr.io.EventLogs;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hstu ctr}: precomputes user and item CTR priors from an event log and writes {@code
 * user_ctr.json}, {@code item_ctr.json} and {@code ctr_meta.json} (format in {@link CtrFiles}).
 * The streaming functions use the same {@link CtrConfig}, so offline training and the stream share
 * one definition. Exit code 0 on success, 1 when the input has bad rows (unless {@code
 * --skip-invalid}) or cannot be read, 2 on a usage error.
 */
@Command(
        name = "ctr",
        mixinStandardHelpOptions = true,
        version = "hstu ctr 0.1.0",
        description = "Precompute smoothed user/item CTR priors from a seq.jsonl or MovieLens ratings.csv event log.",
        sortOptions = false)
public final class CtrCommand implements Callable<Integer> {

    /** Input formats as spelled on the command line. */
    enum FormatOption {
        auto,
        csv,
        seq
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-i", "--input"},
            required = true,
            description = "Event log: seq.jsonl or ratings.csv.")
    Path input;

    @Option(
            names = "--format",
            defaultValue = "auto",
            description = "auto (from the file name), csv or seq. Default: ${DEFAULT-VALUE}.")
    FormatOption format;

    @Option(
            names = {"-o", "--out"},
            required = true,
            description = "Output directory for user_ctr.json, item_ctr.json, ctr_meta.json.")
    Path out;

    @Option(
            names = "--prior",
            defaultValue = "auto",
            description = "'auto' (method of moments over all keys) or fixed 'a,b'. Default: ${DEFAULT-VALUE}.")
    String prior;

    @Option(
            names = {"--k_clip", "--k-clip"},
            defaultValue = "10,10000",
            description = "Clip of the auto prior's strength k = a + b, 'min,max'. Default: ${DEFAULT-VALUE}.")
    String kClip;

    @Option(
            names = "--half-life",
            defaultValue = "none",
            converter = DurationText.class,
            description =
                    "Half-life of the exponential decay in event time (none, 12h, 30d, P30D). Default: ${DEFAULT-VALUE}.")
    Duration halfLife;

    @Option(
            names = "--action-weights",
            defaultValue = "0=1",
            description =
                    "Engagement weight per action bit, 'bit=weight,...'; other bits are invalid. Default: ${DEFAULT-VALUE}.")
    String actionWeights;

    @Option(
            names = "--click-rating",
            defaultValue = "4.0",
            description = "CSV only: a rating >= this is a click (action 1), else action 0. Default: ${DEFAULT-VALUE}.")
    double clickRating;

    @Option(
            names = "--bucket-quantiles",
            defaultValue = "0.8",
            description = "Popularity quantiles separating hot/cold buckets, ascending. Default: ${DEFAULT-VALUE}.")
    String bucketQuantiles;

    @Option(
            names = "--as-of",
            description = "Epoch ms the counts are decayed to. Default: the latest event time in the log.")
    Long asOfMs;

    @Option(
            names = "--skip-invalid",
            description = "Write bad rows to ctr_rejected.jsonl in the output directory and go on, instead of failing.")
    boolean skipInvalid;

    /** Runs the command; exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CtrCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        CtrConfig config;
        EventLogFormat logFormat;
        try {
            config = CtrConfig.defaults()
                    .withPrior(PriorSpec.parse(prior, kClip))
                    .withDecay(DecayPolicy.halfLife(halfLife))
                    .withActionWeights(ActionWeights.parse(actionWeights))
                    .withBucketQuantiles(BucketQuantiles.parse(bucketQuantiles));
            logFormat = switch (format) {
                case csv -> EventLogFormat.CSV;
                case seq -> EventLogFormat.SEQ_JSONL;
                case auto -> EventLogFormat.detect(input);
            };
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!Files.isRegularFile(input)) {
            err.println("ctr: input " + input + " is not a readable file");
            return 1;
        }
        Files.createDirectories(out);
        Path rejectFile = out.resolve("ctr_rejected.jsonl");
        Files.deleteIfExists(rejectFile);
        BatchCtrComputation batch = new BatchCtrComputation(config);
        try (RejectLog rejects = new RejectLog(rejectFile, skipInvalid)) {
            Collector collector = new Collector(batch, rejects);
            EventLogs.read(input, logFormat, MovieLensActions.clickAtOrAbove(clickRating), collector);
            BatchCtrComputation.Result result = batch.result();
            if (result.foldedEvents() == 0) {
                err.println("ctr: " + input + " holds no valid interaction events");
                return 1;
            }
            long latest =
                    Math.max(result.users().latestEventMs(), result.items().latestEventMs());
            long asOf = asOfMs == null ? latest : asOfMs;
            if (asOf < latest) {
                err.println("ctr: --as-of " + asOf + " is before the latest event " + latest);
                return 1;
            }
            CtrFiles.write(
                    out,
                    result.users(),
                    result.items(),
                    config,
                    asOf,
                    new CtrFiles.InputSummary(
                            input.toString(),
                            logFormat,
                            collector.eventsRead,
                            result.foldedEvents(),
                            rejects.count,
                            collector.profileRows,
                            logFormat == EventLogFormat.CSV ? clickRating : Double.NaN));
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(
                    Locale.ROOT,
                    "ctr: %d events folded, %d rejected, as of %d ms%n",
                    result.foldedEvents(),
                    rejects.count,
                    asOf);
            for (CtrSide side : CtrSide.values()) {
                PopulationSnapshot p = result.side(side).population();
                stdout.printf(
                        Locale.ROOT,
                        "ctr: %-4s %7d keys  prior a=%.6g b=%.6g  rate mean=%.6g std=%.6g%n",
                        side.fileName(),
                        p.keys(),
                        p.prior().a(),
                        p.prior().b(),
                        p.rateMean(),
                        p.rateStd());
            }
            stdout.println("ctr: wrote " + out.resolve(CtrFiles.tableFileName(CtrSide.USER)) + ", "
                    + out.resolve(CtrFiles.tableFileName(CtrSide.ITEM)) + ", " + out.resolve(CtrFiles.META)
                    + (rejects.count > 0 ? ", " + rejectFile : ""));
            return 0;
        } catch (BadInputException e) {
            err.println("ctr: " + input + ": " + e.getMessage()
                    + " (use --skip-invalid to write bad rows to ctr_rejected.jsonl and go on)");
            return 1;
        }
    }

    /** Aborts the run on the first bad row when bad rows are not to be skipped. */
    private static final class BadInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInputException(String message) {
            super(message);
        }
    }

    /** Feeds reader output into the batch computation, routing both kinds of rejects to the log. */
    private static final class Collector implements EventLogSink {
        private final BatchCtrComputation batch;
        private final RejectLog rejects;
        long eventsRead;
        long profileRows;

        Collector(BatchCtrComputation batch, RejectLog rejects) {
            this.batch = batch;
            this.rejects = rejects;
        }

        @Override
        public void event(long line, CtrEvent event) {
            eventsRead++;
            Optional<RejectedCtrEvent> r = batch.accept(event);
            r.ifPresent(reject -> rejects.add(line, reject.reason() + ": " + reject.message(), event.toString()));
        }

        @Override
        public void reject(InputReject reject) {
            rejects.add(reject.line(), reject.reason(), reject.excerpt());
        }

        @Override
        public void profileRow(long lineNo) {
            profileRows++;
        }
    }

    /** ctr_rejected.jsonl: one {@code {"line", "reason", "excerpt"}} object per bad row. */
    private static final class RejectLog implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Path file;
        private final boolean keepGoing;
        private BufferedWriter writer;
        long count;

        RejectLog(Path file, boolean keepGoing) {
            this.file = file;
            this.keepGoing = keepGoing;
        }

        void add(long line, String reason, String excerpt) {
            count++;
            if (!keepGoing) {
                throw new BadInputException((line > 0 ? "line " + line + ": " : "") + reason);
            }
            try {
                if (writer == null) {
                    writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("line", line);
                row.put("reason", reason);
                row.put("excerpt", excerpt);
                writer.write(JSON.writeValueAsString(row));
                writer.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (writer != null) {
                writer.close();
            }
        }
    }
}
