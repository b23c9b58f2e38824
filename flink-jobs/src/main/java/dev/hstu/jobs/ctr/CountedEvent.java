package dev.hstu.jobs.ctr;

import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayedCounts;
import dev.hstu.jobs.event.InteractionEvent;

/**
 * An event on its way through the CTR stage, with the counts of its user and item right after it was folded in
 * (null until that side has counted it, or when the side refused it).
 */
public record CountedEvent(InteractionEvent event, DecayedCounts userCounts, DecayedCounts itemCounts) {

    public static CountedEvent of(InteractionEvent event) {
        return new CountedEvent(event, null, null);
    }

    /** The event as the CTR definitions see it. */
    public CtrEvent ctrEvent() {
        return new CtrEvent(event.userId(), event.itemId(), event.action(), event.timestampMs());
    }

    /** The counts of {@code side}. */
    public DecayedCounts counts(CtrSide side) {
        return side == CtrSide.USER ? userCounts : itemCounts;
    }

    /** A copy with {@code side}'s counts set. */
    public CountedEvent with(CtrSide side, DecayedCounts counts) {
        return side == CtrSide.USER
                ? new CountedEvent(event, counts, itemCounts)
                : new CountedEvent(event, userCounts, counts);
    }
}
