package dev.hstu.ctr;

/** Which entity a CTR statistic belongs to; users and items have separate populations and priors. */
public enum CtrSide {
    USER,
    ITEM;

    /** The id of this side's entity in an event. */
    public long keyOf(CtrEvent event) {
        return this == USER ? event.userId() : event.itemId();
    }

    /** Lower-case name used in file names and JSON ("user", "item"). */
    public String fileName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
