package dev.hstu.jobs.train;

import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.config.JobConfig;
import dev.hstu.jobs.config.KafkaSettings;
import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import dev.hstu.model.train.StreamingTrainer;
import dev.hstu.model.train.UntrainableBatchException;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hstu trainer}: trains on the micro-batches of the training-batches topic outside Flink (for example on a
 * GPU host), with the same {@link StreamingTrainer} as the in-job trainer, and publishes versions to the model directory
 * and the model-updates topic.
 *
 * <p>Each version's manifest records the next offset of every partition it has consumed, so the version is the
 * checkpoint: a restarted trainer resumes from the newest version's weights, optimiser state and offsets, and
 * trains every batch exactly once across restarts (batches read after the newest version are trained again,
 * since their updates were not in it). An unreadable batch, or one the model cannot train on (features that do not
 * fit, an action outside its action space, no trainable target), is sent to the dead-letter topic with its reason,
 * and training goes on: a restart would meet the same batch at the same offset again.
 */
public final class StandaloneTrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneTrainer.class);

    private final JobConfig config;
    private final StreamingTrainer trainer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private long batchesTrained;
    private long deadLetters;

    public StandaloneTrainer(JobConfig config) throws Exception {
        this.config = config;
        KafkaSettings kafka = config.kafka();
        this.trainer = StreamingTrainer.open(
                config.model(),
                config.training().trainer(),
                config.sequence().maxLength(),
                null,
                config.features().catalog(config.model()));
        Map<String, Object> consumerConfig = new HashMap<>(kafka.clientConfig());
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "16");
        Map<String, Object> producerConfig = new HashMap<>(kafka.clientConfig());
        producerConfig.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        KafkaConsumer<byte[], byte[]> newConsumer = null;
        try {
            newConsumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            if (newConsumer != null) {
                newConsumer.close();
            }
            trainer.close();
            throw e;
        }
        this.consumer = newConsumer;
        consumer.partitionsFor(kafka.trainingBatchesTopic(), Duration.ofSeconds(30))
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        if (partitions.isEmpty()) {
            throw new IllegalStateException(
                    "topic " + kafka.trainingBatchesTopic() + " has no partitions at " + kafka.bootstrapServers());
        }
        consumer.assign(partitions);
        seekToResumePoint();
    }

    /** Starts where the newest version left off, or at the beginning when there is no version yet. */
    private void seekToResumePoint() {
        consumer.seekToBeginning(partitions);
        ModelStore versions = trainer.versions();
        if (versions.latestVersion().isEmpty()) {
            return;
        }
        ModelVersion latest = ModelStore.verify(versions.root()
                .resolve(ModelStore.directoryName(versions.latestVersion().getAsLong())));
        if (latest.sourcePartitions() == null) {
            LOG.warn(
                    "Model version {} records no training-batches offsets (written by the in-job trainer); "
                            + "reading the topic from the beginning",
                    latest.version());
            return;
        }
        for (int i = 0; i < latest.sourcePartitions().length; i++) {
            consumer.seek(
                    new TopicPartition(config.kafka().trainingBatchesTopic(), latest.sourcePartitions()[i]),
                    latest.sourceOffsets()[i]);
        }
        LOG.info(
                "Resuming after model version {}: step {}, offsets {}",
                latest.version(),
                latest.step(),
                java.util.Arrays.toString(latest.sourceOffsets()));
    }

    /**
     * Trains until {@link #stop()} or, when {@code idleExit} is positive, until no batch has arrived for that long;
     * then publishes a final version if anything was trained since the last one.
     *
     * @return batches trained by this call
     */
    public long run(Duration idleExit) {
        return run(idleExit, () -> false);
    }

    /**
     * Like {@link #run(Duration)}, and also finishes once {@code inputComplete} says no more batches will be written
     * and every partition has been read to its end (a bounded replay).
     */
    public long run(Duration idleExit, BooleanSupplier inputComplete) {
        long lastBatchNanos = System.nanoTime();
        long before = batchesTrained;
        boolean endOfInput = false;
        while (!stopping.get()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                train(record);
                lastBatchNanos = System.nanoTime();
            }
            if (trainer.publishDue()) {
                publish(false);
            }
            if (!idleExit.isZero() && System.nanoTime() - lastBatchNanos > idleExit.toNanos()) {
                LOG.info("No training batch for {} s: stopping", idleExit.toSeconds());
                break;
            }
            if (records.isEmpty() && inputComplete.getAsBoolean() && readToEnd()) {
                LOG.info("Input complete and read to the end: stopping");
                endOfInput = true;
                break;
            }
        }
        // The end of a bounded input is always marked by a final version (serving then re-scores every user), even
        // when the last regular version already holds every step.
        if (trainer.stepsSincePublish() > 0 || endOfInput) {
            publish(true);
        }
        return batchesTrained - before;
    }

    private boolean readToEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition p : partitions) {
            if (consumer.position(p) < ends.get(p)) {
                return false;
            }
        }
        return true;
    }

    private void train(ConsumerRecord<byte[], byte[]> record) {
        MicroBatch batch;
        try {
            batch = MicroBatchCodec.decode(record.value());
        } catch (IllegalArgumentException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        if (batch.size() == 0) {
            return;
        }
        try {
            trainer.train(batch);
        } catch (UntrainableBatchException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        batchesTrained++;
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        deadLetters++;
        LOG.error(
                "Untrainable training batch at {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason);
        DeadLetter letter = DeadLetter.of(
                reason,
                record.value(),
                record.topic(),
                record.partition(),
                record.offset(),
                System.currentTimeMillis(),
                config.kafka().deadLetterMaxBytes());
        send(config.kafka().deadLetterTopic(), null, JsonCodec.toBytes(letter));
    }

    private void publish(boolean finalVersion) {
        int[] ids = new int[partitions.size()];
        long[] offsets = new long[partitions.size()];
        for (int i = 0; i < partitions.size(); i++) {
            ids[i] = partitions.get(i).partition();
            offsets[i] = consumer.position(partitions.get(i));
        }
        ModelVersion manifest = trainer.publish(finalVersion, ids, offsets);
        send(config.kafka().modelUpdatesTopic(), "model", JsonCodec.toBytes(manifest));
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot write to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Asks {@link #run} to finish after the current poll (from another thread, e.g. a shutdown hook). */
    public void stop() {
        stopping.set(true);
    }

    public long deadLetters() {
        return deadLetters;
    }

    /** The shared trainer's counters, for reports and tests. */
    public StreamingTrainer trainer() {
        return trainer;
    }

    @Override
    public void close() {
        try {
            consumer.close();
            producer.close();
        } finally {
            trainer.close();
        }
    }
}
