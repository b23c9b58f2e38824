package dev.hstu.bench.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.bench.BenchReport;
import dev.hstu.bench.gpu.GpuTrainerBenchmark.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Merges the JSON files of one {@code bench/gpu/run.sh} run (DJL and PyTorch timings, their memory peaks, the
 * equivalence check and the Kafka-fed rate) into {@code bench/results/gpu-trainer.md}.
 */
final class GpuReport {

    /** The target: the DJL step within this factor of PyTorch eager on the same card. */
    private static final double TARGET_RATIO = 1.3;

    private GpuReport() {}

    static void write(Options o) throws IOException {
        Path in = Path.of(o.string("inputs", "target/gpu-bench"));
        Path results = Path.of(o.string("results", "bench/results/gpu-trainer.md"));
        StringBuilder md = new StringBuilder(BenchReport.header(
                "gpu-trainer: the DJL HSTU trainer against PyTorch eager " + "on the same GPU",
                o.string("command", "bench/gpu/run.sh")));
        md.append("- GPU: ").append(text(in.resolve("gpu.txt"))).append('\n');
        JsonNode torchInfo = read(in.resolve("torch-check.json"));
        if (torchInfo != null) {
            md.append("- reference: PyTorch ")
                    .append(torchInfo.path("torch").asText())
                    .append(" eager (")
                    .append("bench/gpu/hstu_reference.py), CUDA ")
                    .append(torchInfo.path("cuda").asText())
                    .append('\n');
        }
        md.append("- DJL side: `GpuTrainerBenchmark` through `HstuTrainer.step`, the code the trainers run; DJL's "
                + "PyTorch JNI built on the GPU host against the same libtorch the reference uses\n");
        md.append("- model: HSTU d=256, 4 layers, 4 heads (64 per head for Q/K and U/V), relative position and time "
                + "bias, 100,000 items, 512 uniform negatives shared by the batch, every position a target, dropout "
                + "0.2, AdamW with global-norm clipping, fp32 on both sides\n");
        md.append("- a step = host batch to device, forward, sampled-softmax loss, backward, gradient norm read back, "
                + "clipping, AdamW; forward = queries of the batch without gradients. Medians of the timed steps "
                + "after warm-up. Peak memory = the highest `nvidia-smi` memory.used while the process ran "
                + "(each case in its own process).\n\n");

        JsonNode djlCheck = read(in.resolve("djl-check.json"));
        if (djlCheck != null && torchInfo != null) {
            md.append("## Same function\n\nOne batch (8 x 50 events, d=64, 2 layers, 64 negatives), the DJL model's "
                    + "parameters loaded into the reference, dropout off:\n\n");
            md.append(String.format(
                    Locale.ROOT,
                    "- loss: DJL %.6f, reference %.6f (|difference| %.2e)%n",
                    djlCheck.path("loss").asDouble(),
                    torchInfo.path("loss").asDouble(),
                    Math.abs(djlCheck.path("loss").asDouble()
                            - torchInfo.path("loss").asDouble())));
            md.append(String.format(
                    Locale.ROOT,
                    "- encoder outputs: largest |difference| %.2e over %d values%n%n",
                    torchInfo.path("maxOutputDiff").asDouble(),
                    torchInfo.path("outputValues").asLong()));
        }

        md.append("## Step time\n\n| length | batch | DJL step ms | PyTorch step ms | DJL / PyTorch | DJL examples/s "
                + "| PyTorch examples/s | DJL tokens/s | DJL forward ms | PyTorch forward ms | DJL peak MiB "
                + "| PyTorch peak MiB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder verdicts = new StringBuilder();
        try (var files = Files.list(in)) {
            for (Path djlFile : files.filter(p -> p.getFileName().toString().matches("djl-step-L\\d+\\.json"))
                    .sorted((a, b) -> Integer.compare(lengthOf(a), lengthOf(b)))
                    .toList()) {
                int length = lengthOf(djlFile);
                JsonNode djl = read(djlFile);
                JsonNode torch = read(in.resolve("torch-step-L" + length + ".json"));
                double djlMs = djl.path("stepMsMedian").asDouble();
                double torchMs =
                        torch == null ? Double.NaN : torch.path("stepMsMedian").asDouble();
                int batch = djl.path("batch").asInt();
                double ratio = djlMs / torchMs;
                md.append(String.format(
                        Locale.ROOT,
                        "| %d | %d | %.2f | %.2f | %.2f | %,.0f | %,.0f | %,.0f | %.2f | %.2f | %s | %s |%n",
                        length,
                        batch,
                        djlMs,
                        torchMs,
                        ratio,
                        batch * 1000 / djlMs,
                        batch * 1000 / torchMs,
                        batch * (double) length * 1000 / djlMs,
                        djl.path("forwardMsMedian").asDouble(),
                        torch == null
                                ? Double.NaN
                                : torch.path("forwardMsMedian").asDouble(),
                        text(in.resolve("mem-djl-L" + length + ".txt")),
                        text(in.resolve("mem-torch-L" + length + ".txt"))));
                verdicts.append(String.format(
                        Locale.ROOT,
                        "- length %d: DJL / PyTorch = %.2f, %s%n",
                        length,
                        ratio,
                        ratio <= TARGET_RATIO ? "within the target" : "NOT within the target"));
            }
        }
        md.append("\n## Target: the DJL step within ")
                .append(TARGET_RATIO)
                .append("x of PyTorch eager\n\n")
                .append(verdicts)
                .append('\n');
        appendMixedPrecision(in, md);

        JsonNode kafka = read(in.resolve("djl-kafka.json"));
        if (kafka != null) {
            md.append("## Fed from Kafka\n\n`hstu trainer`'s `StandaloneTrainer` on a real broker (embedded, loopback) "
                            + "reading ")
                    .append(kafka.path("batches").asInt())
                    .append(" micro-batches of ")
                    .append(kafka.path("batch").asInt())
                    .append(" x ")
                    .append(kafka.path("length").asInt())
                    .append(" events from training-batches (")
                    .append(String.format(
                            Locale.ROOT, "%,d", kafka.path("recordBytesMean").asLong()))
                    .append(" bytes each), mapping ids to its vocabulary, training and writing one final version:\n\n");
            md.append(String.format(
                    Locale.ROOT,
                    "- %d batches trained in %.1f s: %,.0f sequences/s, %,.0f targets/s%n%n",
                    kafka.path("batchesTrained").asLong(),
                    kafka.path("seconds").asDouble(),
                    kafka.path("sequencesPerSecond").asDouble(),
                    kafka.path("targetsPerSecond").asDouble()));
        }
        // Hand-written analysis of earlier runs stays in its own dated file: pasted in here it would describe other
        // figures than the tables above once the benchmark is run again.
        String notes = o.string("notes", null);
        if (notes != null && Files.exists(Path.of(notes))) {
            md.append("Analysis of earlier runs (written by hand, each dated, not from this run): [`")
                    .append(notes)
                    .append("`](../../")
                    .append(notes)
                    .append(").\n");
        }
        BenchReport.write(results, md.toString());
    }

    /**
     * DJL's mixed precision ({@code model.runtime.mixedPrecision}: float16 forward and backward on copies of float32 master
     * weights, loss scaling) next to PyTorch's AMP (float16 autocast, GradScaler) and to DJL in float32.
     */
    private static void appendMixedPrecision(Path in, StringBuilder md) throws IOException {
        StringBuilder rows = new StringBuilder();
        List<Path> files;
        try (var listing = Files.list(in)) {
            files = listing.filter(p -> p.getFileName().toString().matches("djl-mixed-L\\d+\\.json"))
                    .sorted((a, b) -> Integer.compare(lengthOf(a), lengthOf(b)))
                    .toList();
        }
        for (Path file : files) {
            String name = Integer.toString(lengthOf(file));
            JsonNode djl = read(file);
            JsonNode torch = read(in.resolve("torch-mixed-L" + name + ".json"));
            JsonNode djlFull = read(in.resolve("djl-step-L" + name + ".json"));
            double djlMs = djl.path("stepMsMedian").asDouble();
            double torchMs =
                    torch == null ? Double.NaN : torch.path("stepMsMedian").asDouble();
            double fullMs =
                    djlFull == null ? Double.NaN : djlFull.path("stepMsMedian").asDouble();
            rows.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.2f | %.2f | %.2f | %.2f | %s | %s | %d | %.0f |%n",
                    name,
                    djl.path("batch").asInt(),
                    djlMs,
                    torchMs,
                    djlMs / torchMs,
                    fullMs / djlMs,
                    text(in.resolve("mem-djl-mixed-L" + name + ".txt")),
                    text(in.resolve("mem-torch-mixed-L" + name + ".txt")),
                    djl.path("float16Overflows").asInt(),
                    djl.path("lossScale").asDouble()));
        }
        if (rows.length() == 0) {
            return;
        }
        md.append(
                "## Mixed precision (float16)\n\nDJL: `model.runtime.mixedPrecision` (forward and backward in float16 on "
                        + "float16 copies of the float32 master weights, which AdamW updates in float32; dynamic loss scaling). "
                        + "PyTorch: AMP (float16 autocast, GradScaler). Overflows are the DJL steps dropped by the loss "
                        + "scaler during warm-up and timing.\n\n");
        md.append("| length | batch | DJL step ms | PyTorch AMP step ms | DJL / PyTorch | DJL float32 / DJL float16 "
                + "| DJL peak MiB | PyTorch peak MiB | DJL overflows | final loss scale |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append(rows).append('\n');
    }

    private static int lengthOf(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(name.indexOf("-L") + 2, name.indexOf(".json")));
    }

    private static JsonNode read(Path file) throws IOException {
        return Files.exists(file) ? GpuTrainerBenchmark.JSON.readTree(file.toFile()) : null;
    }

    private static String text(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file).trim() : "n/a";
    }
}
