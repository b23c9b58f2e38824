package dev.hstu.model.io;

import dev.hstu.model.data.UserSequences;
import java.nio.file.Path;

/**
 * An interaction file as read: its events per user and whether their times are the file's.
 *
 * @param file the file read
 * @param format its format
 * @param events the events, per user
 * @param timed whether the file gave times; when not, each user's events have the ordinal times {@code 0, 1, 2, ...}
 *     seconds in file order, which keep the order and say nothing of the clock
 */
public record InteractionLog(Path file, InteractionFormat format, UserSequences.Collector events, boolean timed) {}
