package dev.hstu.ctr;

/**
 * An event that was not folded into the statistics, with the reason; the dead-letter record of the
 * CTR path.
 *
 * @param event the event as received
 * @param reason reason code
 * @param message human-readable reason naming the field and value
 */
public record RejectedCtrEvent(CtrEvent event, RejectReason reason, String message) {}
