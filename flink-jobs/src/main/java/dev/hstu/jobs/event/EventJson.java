package dev.hstu.jobs.event;

/**
 * An event in the interactions topic's JSON form, with unsigned ids as decimal strings: what {@link EventParser}
 * reads back. Written into a reused builder rather than through an object mapper, because the replay writes one
 * per event; the values are numbers, so nothing needs escaping.
 */
public final class EventJson {

    private EventJson() {}

    /** Clears {@code out} and writes the event into it. */
    public static StringBuilder write(StringBuilder out, long userId, long itemId, int action, long timestampMs) {
        out.setLength(0);
        return out.append("{\"user_id\":\"")
                .append(Long.toUnsignedString(userId))
                .append("\",\"item_id\":\"")
                .append(Long.toUnsignedString(itemId))
                .append("\",\"action\":")
                .append(action)
                .append(",\"ts\":")
                .append(timestampMs)
                .append('}');
    }
}
