package dev.hstu.model.io;

import dev.hstu.model.data.FeatureColumn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A per-event column whose value is a property of the event's item, read offline from a side file beside the
 * interaction log (the genres of {@code movies.csv}): an input feature declares it with its {@code Kind}, and
 * whoever loads sequences fills it by item, so a new item-side feature needs no change to the commands.
 *
 * @param column the per-event {@code INT} column of width 1 that the feature reads
 * @param file the side file's name, as {@code --item-file NAME=PATH} names it
 * @param defaultName the file looked for next to the interaction log when no path is given
 * @param reader reads the file into item id -> value
 */
public record ItemSideColumn(FeatureColumn column, String file, String defaultName, Reader reader) {

    /** Checks the column's shape: one int per event, the only shape an item lookup fills. */
    public ItemSideColumn {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(defaultName, "defaultName");
        Objects.requireNonNull(reader, "reader");
        if (column.scope() != FeatureColumn.Scope.EVENT
                || column.type() != FeatureColumn.ElementType.INT
                || column.width() != 1) {
            throw new IllegalArgumentException("an item side column is per event, int, width 1; got " + column);
        }
    }

    /** Reads a side file. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @param path the side file
         * @return item id to the column's value; an item the interactions name must be in it
         * @throws IOException on a read error or a malformed line, naming file and line
         */
        Map<Long, Integer> read(Path path) throws IOException;
    }
}
