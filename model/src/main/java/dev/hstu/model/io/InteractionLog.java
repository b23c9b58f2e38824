package dev.hstu.model.io;

import dev.hstu.model.config.HstuConfig;
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
public record InteractionLog(Path file, InteractionFormat format, UserSequences.Collector events, boolean timed) {

    /**
     * Refuses a model that reads the clock from data that has none.
     *
     * @param config the model these events are for
     * @throws IllegalArgumentException when the model's time features are on and the file gave no times
     */
    public void checkTimes(HstuConfig config) {
        if (config.features().time() && !timed) {
            throw new IllegalArgumentException("model.features.time=true reads the events' clock (hour of week,"
                    + " gap to the previous event), but " + file + " (" + format.label() + ") has no timestamps:"
                    + " its events have the ordinal times 0, 1, 2, ...; set model.features.time=false");
        }
    }
}
