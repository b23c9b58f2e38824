package dev.hstu.ctr;

/**
 * One interaction: the item was shown once to the user (one exposure) and the user reacted with
 * {@code action}, a bitmask whose bit 0 is a click (see {@link ActionWeights}).
 *
 * <p>Ids are unsigned 64-bit values carried in a {@code long}; print them with {@link
 * Long#toUnsignedString(long)}. The record is deliberately unvalidated so that bad events can
 * travel to a dead-letter output with their original values; {@link CtrEventValidator} decides.
 *
 * @param userId user id (u64)
 * @param itemId item id (u64)
 * @param action action bitmask; 0 means shown and ignored
 * @param timestampMs event time in epoch milliseconds
 */
public record CtrEvent(long userId, long itemId, int action, long timestampMs) {}
