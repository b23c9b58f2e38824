package dev.hstu.jobs.event;

import java.util.Arrays;

/**
 * One validated interaction: user {@code userId} did {@code action} on {@code itemId} at {@code timestampMs}.
 *
 * <p>Ids are unsigned 64-bit integers carried in a {@code long} (ids above 2^63-1 appear negative here and are
 * written back unsigned). {@code action} is a bitmask: 0 = exposure only, bit 0 = click, higher bits are other
 * engagements. Flink 2 serialises records with its POJO serializer, without falling back to Kryo.
 *
 * @param features     the event's dense features as of the event (the CTR channels, {@code dev.hstu.ctr.CtrChannels}),
 *                     attached by the jobs' CTR stage; null when the job computes none
 * @param userFeatures the user's hashed contextual features the event carried ({@code user_feat}, sorted keys of
 *                     {@code dev.hstu.model.data.UserFeatureHashing}); null when it carried none
 */
public record InteractionEvent(
        long userId, long itemId, int action, long timestampMs, float[] features, long[] userFeatures) {

    /** An event as parsed, before any feature is attached. */
    public InteractionEvent(long userId, long itemId, int action, long timestampMs) {
        this(userId, itemId, action, timestampMs, null, null);
    }

    /** An event with dense features and no user features. */
    public InteractionEvent(long userId, long itemId, int action, long timestampMs, float[] features) {
        this(userId, itemId, action, timestampMs, features, null);
    }

    /** The same event carrying {@code values} as its features. */
    public InteractionEvent withFeatures(float[] values) {
        return new InteractionEvent(userId, itemId, action, timestampMs, values, userFeatures);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InteractionEvent e
                && userId == e.userId
                && itemId == e.itemId
                && action == e.action
                && timestampMs == e.timestampMs
                && Arrays.equals(features, e.features)
                && Arrays.equals(userFeatures, e.userFeatures);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(userId) * 31 + Long.hashCode(itemId) * 17 + Long.hashCode(timestampMs) + action;
    }

    @Override
    public String toString() {
        return "InteractionEvent[userId=" + Long.toUnsignedString(userId) + ", itemId=" + Long.toUnsignedString(itemId)
                + ", action=" + action + ", timestampMs=" + timestampMs
                + (features == null ? "" : ", features=" + Arrays.toString(features))
                + (userFeatures == null ? "" : ", userFeatures=" + Arrays.toString(userFeatures)) + "]";
    }
}
