package dev.hstu.jobs.event;

/**
 * A Kafka record's value exactly as it arrived, with its coordinates: parsing happens in a Flink function after the
 * source, so that a bad payload becomes a dead letter instead of failing the source.
 */
public record RawRecord(byte[] payload, String topic, int partition, long offset, long kafkaTimestampMs) {}
