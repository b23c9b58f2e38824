package dev.hstu.jobs.event;

/**
 * One validated interaction: user {@code userId} did {@code action} on {@code itemId} at {@code timestampMs}.
 *
 * <p>Ids are unsigned 64-bit integers carried in a {@code long} (ids above 2^63-1 appear negative here and are
 * written back unsigned). {@code action} is a bitmask: 0 = exposure only, bit 0 = click, higher bits are other
 * engagements. Flink 2 serialises records with its POJO serializer, without falling back to Kryo.
 */
public record InteractionEvent(long userId, long itemId, int action, long timestampMs) {}
