package dev.hstu.ctr.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.formats.io.InputReject;

/** Receives what {@link EventLogs} finds in an event log, in file order. */
public interface EventLogSink {
    /** An interaction event found on the given 1-based line. */
    void event(long line, CtrEvent event);

    /** A row that is not a valid event; the sink decides whether to stop (throw) or go on. */
    void reject(InputReject reject);

    /** A seq.jsonl user-profile row (no item id): not an interaction, counted only. */
    default void profileRow(long line) {}

    /**
     * A seq.jsonl record's non-null {@code user_feat} object (on a profile row or an event), before
     * that record's event if it has one; readers of other formats never call it.
     *
     * @param line 1-based line
     * @param user the record's user
     * @param userFeatures the object as written, e.g. {@code {"103": 5, "106": [1, 2]}}
     */
    default void userFeatures(long line, long user, JsonNode userFeatures) {}
}
