package dev.hstu.model.tasks.retrieval;

/**
 * Which events count as clicks for the action-aware loss and the rank package: those with bit 0
 * of the action bitmask set, as the seeds' data sets it; every other event is an exposure only.
 */
public final class Clicks {

    /** The click bit of an action bitmask. */
    public static final int CLICK_BIT = 1;

    private Clicks() {}

    /**
     * @param action an event's action bitmask
     * @return whether the event was a click
     */
    public static boolean isClick(int action) {
        return (action & CLICK_BIT) != 0;
    }
}
