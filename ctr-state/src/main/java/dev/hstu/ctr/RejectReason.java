package dev.hstu.ctr;

/** Why an event was not folded into the CTR statistics. */
public enum RejectReason {
    /** The timestamp is negative. */
    NEGATIVE_TIMESTAMP,
    /** The action has bits without a configured weight. */
    UNKNOWN_ACTION,
    /** A field of the source record is missing, malformed, NaN or out of range (readers only). */
    MALFORMED
}
