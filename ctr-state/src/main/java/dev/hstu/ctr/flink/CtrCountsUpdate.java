package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.DecayedCounts;

/**
 * A key's counts right after an event changed them.
 *
 * @param side user or item
 * @param key the user or item id
 * @param counts the key's counts, decayed to its latest event time
 */
public record CtrCountsUpdate(CtrSide side, long key, DecayedCounts counts) {}
