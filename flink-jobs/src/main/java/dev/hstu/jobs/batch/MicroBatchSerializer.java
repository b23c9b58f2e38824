package dev.hstu.jobs.batch;

import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes micro-batches to the training-batches topic in {@link MicroBatchCodec}'s binary form. */
public final class MicroBatchSerializer implements KafkaRecordSerializationSchema<MicroBatch> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public MicroBatchSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(MicroBatch batch, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, null, MicroBatchCodec.encode(batch));
    }
}
