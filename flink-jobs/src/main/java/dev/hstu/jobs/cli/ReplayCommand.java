package dev.hstu.jobs.cli;

import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.seed.SeedDataDirectory;
import dev.hstu.formats.seed.SeedIndexer;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.replay.ReplayJob;
import dev.hstu.jobs.replay.ReplayLog;
import dev.hstu.model.cli.PredictCommand;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Trains offline by replaying a historical seq.jsonl through the training job. The events are "
                + "sorted by event time and streamed with watermarks through the same parsing, validation, sequence "
                + "state (and CTR channels) as the live Kafka path; model versions go to training.modelDir, "
                + "manifests and dead letters to JSON Lines files under --out. Given a seed data directory, ids are "
                + "mapped back to user and creative ids through its indexer.json, users' user_feat objects ride "
                + "with their events, and when it has predict_seq.jsonl and predict_set.jsonl, 'hstu predict' runs "
                + "on the final model into --out/predict (scored against heldout.jsonl when present).")
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "PATH",
            description = "The seed data directory (its seq.jsonl is read) or a seq.jsonl file.")
    Path data;

    @Option(
            names = "--out",
            defaultValue = "target/hstu/replay",
            paramLabel = "DIR",
            description = "Where the sorted event file, dead letters and manifests go. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(
            names = "--speed",
            defaultValue = "max",
            paramLabel = "max|FACTOR",
            description = "'max' replays as fast as the job takes the events; a factor paces them at that many "
                    + "times real time (1 = as they happened, 3600 = an hour per second). Default: ${DEFAULT-VALUE}")
    String speed;

    @Option(
            names = "--execution-mode",
            defaultValue = "streaming",
            paramLabel = "streaming|batch",
            description = "Flink runtime mode. Default: ${DEFAULT-VALUE}")
    String mode;

    @Option(
            names = "--predict",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "After training, run 'hstu predict' when the directory has predict_seq.jsonl and "
                    + "predict_set.jsonl (--no-predict skips it). Default: ${DEFAULT-VALUE}")
    boolean predict;

    @Option(names = "--predict-k", defaultValue = "10", description = "Candidates per user. Default: ${DEFAULT-VALUE}")
    int predictK;

    @Override
    public Integer call() throws Exception {
        SeedDataDirectory seed = Files.isDirectory(data) ? new SeedDataDirectory(data) : null;
        if (seed != null) {
            // the directory's embeddings, for a model configured with multimodal features, unless set otherwise
            seed.multimodalFiles()
                    .forEach((feature, file) ->
                            options.overrides.putIfAbsent("features.multimodalFiles." + feature, file.toString()));
        }
        JobConfig config = options.load();
        Path seqJsonl = seed != null ? seed.require(SeedDataDirectory.SEQ) : data;
        Optional<SeedIndexer> indexer = seed != null ? seed.indexer() : Optional.empty();
        ReplayLog.IdMapping ids = indexer.<ReplayLog.IdMapping>map(ix -> new ReplayLog.IdMapping() {
                    @Override
                    public long user(long reid) {
                        return ix.userId(reid);
                    }

                    @Override
                    public long item(long reid) {
                        return ix.itemId(reid);
                    }
                })
                .orElse(ReplayLog.IdMapping.IDENTITY);
        boolean batch = switch (mode.toLowerCase(Locale.ROOT)) {
            case "batch" -> true;
            case "streaming" -> false;
            default -> throw new IllegalArgumentException("--execution-mode must be streaming or batch, got " + mode);
        };
        double factor = parseSpeed(speed);
        Files.createDirectories(out);
        Path rejectsFile = out.resolve("replay-rejects.jsonl");
        long[] rejected = {0};
        ReplayLog log;
        try (OutputStream rejects = Files.newOutputStream(rejectsFile)) {
            log = ReplayLog.prepare(
                    seqJsonl,
                    out,
                    reject -> {
                        rejected[0]++;
                        write(rejects, reject, seqJsonl, config.kafka().deadLetterMaxBytes());
                    },
                    ids);
        }
        indexer.ifPresent(ix -> System.out.printf(
                "replay: ids mapped through %s (%,d users, %,d items)%n",
                seed.root().resolve(SeedDataDirectory.INDEXER), ix.users(), ix.items()));
        if (seed != null && indexer.isEmpty()) {
            System.out.printf(
                    "replay: %s has no %s: ids are used as seq.jsonl writes them, so predict_set.jsonl's "
                            + "creative ids must be those same ids%n",
                    seed.root(), SeedDataDirectory.INDEXER);
        }
        System.out.printf(
                "replay: %,d events from %s sorted into %s; %,d records refused -> %s%n",
                log.events(), seqJsonl, log.file(), rejected[0], rejectsFile);
        long started = System.currentTimeMillis();
        ReplayJob.build(config, log, out, factor, batch).execute("HSTU replay of " + seqJsonl.getFileName());
        System.out.printf(
                "replay: finished in %.1f s; model versions in %s, manifests and dead letters under %s%n",
                (System.currentTimeMillis() - started) / 1000.0,
                config.training().modelDir(),
                out);
        if (predict
                && seed != null
                && seed.has(SeedDataDirectory.PREDICT_SEQ)
                && seed.has(SeedDataDirectory.PREDICT_SET)) {
            return predict(config, seed);
        }
        return 0;
    }

    private int predict(JobConfig config, SeedDataDirectory seed) {
        if (config.model().features().denseDim() > 0) {
            System.out.println("replay: no prediction: the model reads dense features (ctr.enabled), which "
                    + "predict_seq.jsonl does not carry");
            return 0;
        }
        List<String> args = new ArrayList<>(List.of(
                "--model",
                config.training().modelDir().toString(),
                "--data",
                seed.root().toString(),
                "--out",
                out.resolve("predict").toString(),
                "--k",
                Integer.toString(predictK)));
        if (seed.has(SeedDataDirectory.HELD_OUT)) {
            args.addAll(List.of(
                    "--truth", seed.root().resolve(SeedDataDirectory.HELD_OUT).toString()));
        }
        System.out.println("replay: hstu predict " + String.join(" ", args));
        return new CommandLine(new PredictCommand()).execute(args.toArray(String[]::new));
    }

    /** Parses --speed: 0 for max, else a factor > 0. */
    public static double parseSpeed(String text) {
        if (text.equalsIgnoreCase("max")) {
            return 0;
        }
        try {
            double factor = Double.parseDouble(text);
            if (factor > 0 && Double.isFinite(factor)) {
                return factor;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--speed must be 'max' or a factor > 0, got '" + text + "'");
    }

    private static void write(OutputStream out, InputReject reject, Path file, int maxBytes) {
        DeadLetter letter = DeadLetter.of(
                reject.reason(),
                reject.excerpt().getBytes(StandardCharsets.UTF_8),
                file.toString(),
                0,
                reject.line(),
                System.currentTimeMillis(),
                maxBytes);
        try {
            out.write(JsonCodec.toBytes(letter));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
