package dev.hstu.bench.gpu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hstu.bench.training.TrainingThroughputBenchmark;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.modules.features.ItemEmbeddingTable;
import dev.hstu.model.tasks.retrieval.SampledSoftmaxLoss;
import dev.hstu.model.tasks.retrieval.TrainingTargets;
import dev.hstu.model.train.Autograd;
import dev.hstu.model.train.HstuTrainer;
import dev.hstu.model.train.StepResult;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The DJL side of the GPU trainer benchmark (issue 8). {@code bench/gpu/run.sh} runs it next to the PyTorch eager
 * reference ({@code bench/gpu/hstu_reference.py}) on the same card and {@link GpuReport} merges both into
 * {@code bench/results/gpu-trainer.md}.
 *
 * <p>Modes, each writing one JSON file:
 * <ul>
 *   <li>{@code step}: median time of {@link HstuTrainer#step} (host batch to device, forward, backward, clipping,
 *       AdamW, loss read back) and of a no-gradient forward, on full-length synthetic sequences; with
 *       {@code --profile FILE}, three more steps under libtorch's profiler, written as a Chrome trace;
 *   <li>{@code check}: dumps a small model's parameters, a batch and its negatives as raw little-endian arrays, with
 *       the loss this code computes for them without dropout, so the reference can prove it computes the same
 *       function before its timings are compared;
 *   <li>{@code kafka}: see {@link KafkaFedTrainerBenchmark}.
 * </ul>
 */
public final class GpuTrainerBenchmark {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GpuTrainerBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException(
                    "usage: GpuTrainerBenchmark step|check|kafka|report [--option value ...]");
        }
        Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "step" -> step(options);
            case "check" -> check(options);
            case "kafka" -> KafkaFedTrainerBenchmark.run(options);
            case "report" -> GpuReport.write(options);
            default -> throw new IllegalArgumentException("unknown mode " + args[0] + " (step, check, kafka, report)");
        }
    }

    /** The benchmark's model: the d=256, 4 layers, 4 heads, 512 uniform negatives; every position a target. */
    static HstuConfig config(Options o) {
        int dim = o.integer("dim", 256);
        int heads = o.integer("heads", 4);
        return HstuConfig.defaults()
                .with("runtime.device", o.string("device", "gpu"))
                .with("items.capacity", o.integer("items", 100_000) + 2)
                .with("encoder.embeddingDim", dim)
                .with("stu.numLayers", o.integer("layers", 4))
                .with("stu.numHeads", heads)
                .with("stu.attentionDim", dim / heads)
                .with("stu.linearDim", dim / heads)
                .with("encoder.maxSeqLen", o.integer("length", 200))
                .with("task.numNegatives", o.integer("negatives", 512))
                .with("task.inBatchNegatives", 0)
                .with("optimizer.warmupSteps", 0)
                .with("runtime.mixedPrecision", Boolean.parseBoolean(o.string("mixed", "false")))
                .validate();
    }

    private static void step(Options o) throws IOException {
        HstuConfig config = config(o);
        int batchSize = o.integer("batch", 128);
        int steps = o.integer("steps", 20);
        int warmup = o.integer("warmup", 5);
        PackedBatch batch = TrainingThroughputBenchmark.batch(
                config, batchSize, config.encoder().maxSeqLen(), 7);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "implementation",
                "DJL " + ai.djl.engine.Engine.getDjlVersion() + " + PyTorch "
                        + ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
        out.put("config", JSON.readTree(config.toJson()));
        out.put("batch", batchSize);
        out.put("length", config.encoder().maxSeqLen());
        out.put("mixedPrecision", config.runtime().mixedPrecision());
        try (HstuModel model = HstuModel.create(config);
                HstuTrainer trainer = new HstuTrainer(model)) {
            model.setItemRowsInUse(config.items().capacity());
            out.put("device", model.device().toString());
            double[] stepMs = new double[steps];
            float lastLoss = Float.NaN;
            int overflows = 0;
            for (int i = -warmup; i < steps; i++) {
                long t0 = System.nanoTime();
                StepResult r = trainer.step(batch);
                if (i >= 0) {
                    stepMs[i] = (System.nanoTime() - t0) / 1e6;
                }
                if (r.skipped() && !r.overflow()) {
                    throw new IllegalStateException("step " + r.step() + " was skipped: non-finite loss " + r.loss());
                }
                overflows += r.overflow() ? 1 : 0;
                lastLoss = r.loss();
            }
            out.put("float16Overflows", overflows);
            out.put("lossScale", trainer.lossScale());
            double[] forwardMs = new double[steps];
            for (int i = -warmup; i < steps; i++) {
                long t0 = System.nanoTime();
                model.encodeQueries(batch);
                if (i >= 0) {
                    forwardMs[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            String profile = o.string("profile", null);
            if (profile != null) {
                // libtorch's autograd profiler over three more steps: where the time goes, op by op
                JniUtils.startProfile(true, false, false);
                for (int i = 0; i < 3; i++) {
                    trainer.step(batch);
                }
                JniUtils.stopProfile(profile);
            }
            out.put("steps", steps);
            out.put("stepMsMedian", median(stepMs));
            out.put("stepMsMean", Arrays.stream(stepMs).average().orElse(Double.NaN));
            out.put("forwardMsMedian", median(forwardMs));
            out.put("lastLoss", lastLoss);
            out.put(
                    "targetsPerStep",
                    TrainingTargets.of(batch, batch.maxLength()).size());
        }
        write(o, out);
        System.out.printf(
                Locale.ROOT,
                "DJL L=%d B=%d: step %.2f ms (median), forward %.2f ms%n",
                config.encoder().maxSeqLen(),
                batchSize,
                (double) out.get("stepMsMedian"),
                (double) out.get("forwardMsMedian"));
    }

    /**
     * Writes {@code params.f32} (every parameter in {@link #parameterOrder} order), {@code batch.i64} (items,
     * actions, timestamps relative to each sequence's first event, lengths), {@code targets.i64} (query rows,
     * positives, candidates) and {@code outputs.f32} (the encoder output), and reports the loss without dropout.
     */
    private static void check(Options o) throws IOException {
        HstuConfig config = HstuConfig.defaults()
                .with("runtime.device", o.string("device", "gpu"))
                .with("items.capacity", 1002)
                .with("encoder.embeddingDim", 64)
                .with("stu.numLayers", 2)
                .with("stu.numHeads", 2)
                .with("stu.attentionDim", 32)
                .with("stu.linearDim", 32)
                .with("encoder.maxSeqLen", 50)
                .with("task.numNegatives", 64)
                .with("task.inBatchNegatives", 0)
                .validate();
        Path dir = Path.of(o.string("dump", "target/gpu-check"));
        Files.createDirectories(dir);
        int sequences = 8;
        PackedBatch batch = TrainingThroughputBenchmark.batch(
                config, sequences, config.encoder().maxSeqLen(), 11);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", JSON.readTree(config.toJson()));
        try (HstuModel model = HstuModel.create(config)) {
            model.setItemRowsInUse(config.items().capacity());
            List<Map<String, Object>> index = new ArrayList<>();
            try (OutputStream params = Files.newOutputStream(dir.resolve("params.f32"))) {
                for (Pair<String, Parameter> p : model.encoder().getParameters()) {
                    NDArray array = p.getValue().getArray();
                    index.add(
                            Map.of("name", p.getKey(), "shape", array.getShape().getShape()));
                    params.write(littleEndian(array.toFloatArray()));
                }
            }
            out.put("parameters", index);
            Autograd.disableOnThisThread();
            try (NDScope ignored = new NDScope()) {
                NDManager manager = model.manager();
                PaddedSequences padded = PaddedSequences.of(batch, config, manager);
                TrainingTargets targets = TrainingTargets.of(batch, padded.maxLength());
                long[] candidates = new SplittableRandom(3)
                        .longs(config.task().numNegatives(), 2, config.items().capacity())
                        .toArray();
                writeLongs(
                        dir.resolve("batch.i64"),
                        padded.items().toLongArray(),
                        padded.actions().toLongArray(),
                        padded.timestamps().toLongArray(),
                        padded.lengths().toLongArray());
                writeLongs(dir.resolve("targets.i64"), targets.queryRows(), targets.positives(), candidates);
                NDArray encoded = model.forward(padded, false);
                Files.write(dir.resolve("outputs.f32"), littleEndian(encoded.toFloatArray()));
                ItemEmbeddingTable table = model.encoder().itemEmbedding();
                NDArray positiveIds = manager.create(targets.positives());
                NDArray candidateIds = manager.create(candidates);
                float loss = new SampledSoftmaxLoss(config.task().temperature())
                        .compute(
                                model.gatherRows(encoded, targets.queryRows()),
                                table.normalizedLookup(model.parameterStore(), positiveIds),
                                positiveIds,
                                table.normalizedLookup(model.parameterStore(), candidateIds),
                                candidateIds)
                        .getFloat();
                out.put("sequences", sequences);
                out.put("length", config.encoder().maxSeqLen());
                out.put("targets", targets.size());
                out.put("candidates", candidates.length);
                out.put("loss", loss);
            }
        }
        write(o, out);
        System.out.println("DJL check: loss " + out.get("loss") + ", dump in " + dir);
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static void writeLongs(Path file, long[]... arrays) throws IOException {
        try (DataOutputStream data = new DataOutputStream(Files.newOutputStream(file))) {
            for (long[] array : arrays) {
                ByteBuffer buffer =
                        ByteBuffer.allocate(array.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asLongBuffer().put(array);
                data.write(buffer.array());
            }
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static void write(Options o, Map<String, Object> out) throws IOException {
        Path json = Path.of(o.string("json", "target/gpu-bench.json"));
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        JSON.writeValue(json.toFile(), out);
    }

    /** {@code --name value} pairs. */
    record Options(Map<String, String> values) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
                }
                values.put(args[i].substring(2), args[++i]);
            }
            return new Options(values);
        }

        String string(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        int integer(String name, int fallback) {
            String v = values.get(name);
            return v == null ? fallback : Integer.parseInt(v);
        }
    }
}
