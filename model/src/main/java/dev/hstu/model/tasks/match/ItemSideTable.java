package dev.hstu.model.tasks.match;

import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.io.ItemSideColumn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The item tower's side values of every item row, so that scoring and training look an item's features up by the
 * row the batch names. Data from side files, not parameters: not saved with the model, attached again after a load
 * ({@link MatchTask#attach}).
 */
public final class ItemSideTable {

    private final List<int[]> byRow;

    private ItemSideTable(List<int[]> byRow) {
        this.byRow = byRow;
    }

    /** @return a table without side columns, for a tower that reads none */
    public static ItemSideTable none() {
        return new ItemSideTable(List.of());
    }

    /**
     * @param columns the tower's side columns, in order
     * @param values per column, what its side file gives each item id
     * @param files per column, the file read, for messages
     * @param vocabulary the item rows
     * @param rows rows of the table (the model's item capacity)
     * @return the table
     * @throws IOException naming the file and the item when an item of the vocabulary is missing from it
     */
    public static ItemSideTable of(
            List<ItemSideColumn> columns,
            List<Map<Long, Integer>> values,
            List<Path> files,
            ItemVocabulary vocabulary,
            int rows)
            throws IOException {
        List<int[]> byRow = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            Map<Long, Integer> byId = values.get(c);
            int[] column = new int[rows];
            for (int row = ItemVocabulary.FIRST_ITEM; row < Math.min(rows, vocabulary.size()); row++) {
                Integer value = byId.get(vocabulary.idOf(row));
                if (value == null) {
                    throw new IOException(files.get(c) + " lists no item " + vocabulary.idOf(row)
                            + " of the model's vocabulary (item tower column "
                            + columns.get(c).column().name() + ")");
                }
                column[row] = value;
            }
            byRow.add(column);
        }
        return new ItemSideTable(byRow);
    }

    /** @return side columns */
    public int columns() {
        return byRow.size();
    }

    /**
     * @param rows item rows (rows below the first item's have no id embedding and zero side values)
     * @return the tower's inputs of those rows
     * @throws IllegalArgumentException if a row is beyond the table
     */
    public ItemTowerInputs rows(long[] rows) {
        List<int[]> side = new ArrayList<>(byRow.size());
        for (int[] column : byRow) {
            int[] values = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] >= column.length) {
                    throw new IllegalArgumentException(
                            "item row " + rows[i] + " is beyond the item tower's side table of " + column.length);
                }
                values[i] = rows[i] < ItemVocabulary.FIRST_ITEM ? 0 : column[(int) rows[i]];
            }
            side.add(values);
        }
        return new ItemTowerInputs(rows, side);
    }

    /**
     * @param from first row
     * @param to end row (exclusive)
     * @return the tower's inputs of rows {@code [from, to)}
     */
    public ItemTowerInputs range(int from, int to) {
        long[] rows = new long[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return rows(rows);
    }
}
