package dev.hstu.ctr.io;

import dev.hstu.ctr.CtrEvent;

/** Receives what a reader finds in an event log, in file order. */
public interface EventLogSink {
  /** An interaction event found on the given 1-based line. */
  void event(long line, CtrEvent event);

  /** A row that is not a valid event; the sink decides whether to stop (throw) or go on. */
  void reject(InputReject reject);

  /** A seq.jsonl user-profile row (no item id): not an interaction, counted only. */
  default void profileRow(long line) {}
}
