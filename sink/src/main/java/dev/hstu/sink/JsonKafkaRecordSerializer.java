package dev.hstu.sink;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a record as one JSON object per Kafka record, keyed by the given key function (so that, for example,
 * all of one user's recommendations land in one partition, in order).
 */
public final class JsonKafkaRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** Extracts the record key; null means no key (round-robin partitioning). */
    @FunctionalInterface
    public interface KeyFunction<T> extends java.io.Serializable {
        String keyOf(T value);
    }

    private final String topic;
    private final Class<T> type;
    private final KeyFunction<T> keyFunction;
    private transient ObjectWriter writer;

    public JsonKafkaRecordSerializer(String topic, Class<T> type, KeyFunction<T> keyFunction) {
        this.topic = topic;
        this.type = type;
        this.keyFunction = keyFunction;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        writer = JsonCodec.writerFor(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (writer == null) {
            writer = JsonCodec.writerFor(type);
        }
        try {
            String key = keyFunction == null ? null : keyFunction.keyOf(element);
            byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, null, timestamp, keyBytes, writer.writeValueAsBytes(element));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + type.getSimpleName() + " for topic " + topic, e);
        }
    }
}
