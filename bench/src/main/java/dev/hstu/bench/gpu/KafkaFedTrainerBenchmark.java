package dev.hstu.bench.gpu;

import dev.hstu.bench.gpu.GpuTrainerBenchmark.Options;
import dev.hstu.jobs.config.ConfigLoader;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import dev.hstu.jobs.kafka.EventProducer;
import dev.hstu.jobs.kafka.Topics;
import dev.hstu.jobs.train.StandaloneTrainer;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * End-to-end rate of the standalone trainer ({@code hstu trainer}) fed from Kafka: micro-batches are written to a
 * real (embedded, loopback) broker's training-batches topic first, then the trainer reads, decodes, maps item ids
 * to its vocabulary, trains on the configured device and publishes one final version. The rate is over the
 * trainer's whole run, so it includes consuming, decoding and the version write.
 */
final class KafkaFedTrainerBenchmark {

    private KafkaFedTrainerBenchmark() {}

    static void run(Options o) throws Exception {
        int batches = o.integer("batches", 50);
        int batchSize = o.integer("batch", 128);
        int length = o.integer("length", 200);
        int items = o.integer("items", 100_000);
        Path modelDir = Files.createTempDirectory("hstu-gpu-bench-models");
        Map<String, Object> out = new LinkedHashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = jobConfig(o, kafka.bootstrapServers(), modelDir, batches, batchSize, length, items);
            Topics.create(
                    kafka.bootstrapServers(),
                    1,
                    config.kafka().trainingBatchesTopic(),
                    config.kafka().modelUpdatesTopic(),
                    config.kafka().deadLetterTopic());
            long bytes = 0;
            long targets = 0;
            SplittableRandom random = new SplittableRandom(5);
            try (EventProducer producer =
                    new EventProducer(kafka.bootstrapServers(), config.kafka().trainingBatchesTopic())) {
                for (int b = 0; b < batches; b++) {
                    byte[] record = MicroBatchCodec.encode(microBatch(random, batchSize, length, items, b));
                    bytes += record.length;
                    targets += (long) batchSize * (length - 1);
                    producer.send(null, record, System.currentTimeMillis());
                }
                producer.flush();
            }
            long t0 = System.nanoTime();
            long trained;
            long steps;
            try (StandaloneTrainer trainer = new StandaloneTrainer(config)) {
                trained = trainer.run(Duration.ofSeconds(60), () -> true);
                steps = trainer.trainer().stepCount();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.put("device", config.model().runtime().device());
            out.put("batches", batches);
            out.put("batchesTrained", trained);
            out.put("steps", steps);
            out.put("batch", batchSize);
            out.put("length", length);
            out.put("recordBytesMean", bytes / batches);
            out.put("seconds", seconds);
            out.put("sequencesPerSecond", trained * batchSize / seconds);
            out.put("targetsPerSecond", targets * trained / batches / seconds);
        }
        GpuTrainerBenchmark.write(o, out);
        System.out.printf(
                Locale.ROOT,
                "Kafka-fed trainer: %d batches in %.1f s = %.1f sequences/s%n",
                batches,
                (double) out.get("seconds"),
                (double) out.get("sequencesPerSecond"));
    }

    private static JobConfig jobConfig(
            Options o, String bootstrap, Path modelDir, int batches, int batchSize, int length, int items) {
        int dim = o.integer("dim", 256);
        int heads = o.integer("heads", 4);
        Map<String, String> set = new LinkedHashMap<>();
        set.put("kafka.bootstrapServers", bootstrap);
        set.put("training.mode", "topic");
        set.put("training.targets", "all");
        set.put("training.warmStart", "false");
        set.put("training.modelDir", modelDir.toString());
        set.put("training.batchSize", Integer.toString(batchSize));
        // one version, at the end: the rate is of training, not of repeated version writes
        set.put("training.publishEverySteps", Integer.toString(batches + 1));
        set.put("training.publishEveryMs", "3600000");
        set.put("sequence.maxLength", Integer.toString(length));
        set.put("model.runtime.device", o.string("device", "gpu"));
        set.put("model.items.capacity", Integer.toString(items + 2));
        set.put("model.encoder.embeddingDim", Integer.toString(dim));
        set.put("model.stu.numLayers", Integer.toString(o.integer("layers", 4)));
        set.put("model.stu.numHeads", Integer.toString(heads));
        set.put("model.stu.attentionDim", Integer.toString(dim / heads));
        set.put("model.stu.linearDim", Integer.toString(dim / heads));
        set.put("model.encoder.maxSeqLen", Integer.toString(length));
        set.put("model.task.numNegatives", Integer.toString(o.integer("negatives", 512)));
        set.put("model.task.inBatchNegatives", "0");
        return ConfigLoader.load(Path.of(o.string("conf", "conf/local.yaml")), set);
    }

    /** External item ids 1..items; every batch draws fresh users so the vocabulary fills as in a live stream. */
    private static MicroBatch microBatch(SplittableRandom random, int sequences, int length, int items, int index) {
        long[] users = new long[sequences];
        int[] offsets = new int[sequences + 1];
        long[] itemIds = new long[sequences * length];
        int[] actions = new int[sequences * length];
        long[] timestamps = new long[sequences * length];
        int[] firstTarget = new int[sequences];
        for (int s = 0; s < sequences; s++) {
            users[s] = (long) index * sequences + s;
            offsets[s + 1] = offsets[s] + length;
            long t = 1_500_000_000_000L + random.nextInt(1_000_000_000);
            for (int i = 0; i < length; i++) {
                int e = s * length + i;
                itemIds[e] = 1 + random.nextInt(items);
                actions[e] = random.nextInt(2);
                timestamps[e] = t;
                t += random.nextInt(3_600_000);
            }
        }
        return new MicroBatch(users, offsets, itemIds, actions, timestamps, firstTarget, System.currentTimeMillis())
                .validate();
    }
}
