package dev.hstu.model.tasks.match;

import dev.hstu.model.data.ItemVocabulary;
import java.util.List;

/**
 * What the item tower reads of each of {@code N} items: its id row and the values of the tower's side columns.
 *
 * @param idRows per item, its row of the encoder's item table, or {@link ItemVocabulary#PADDING} (or the
 *     out-of-vocabulary row) for an item without one, whose id part is then zero
 * @param side per side column of the tower ({@link MatchTask#sideColumns}), in that order, the value of each item
 */
public record ItemTowerInputs(long[] idRows, List<int[]> side) {

    /** Checks that every side column has one value per item. */
    public ItemTowerInputs {
        side = List.copyOf(side);
        for (int[] values : side) {
            if (values.length != idRows.length) {
                throw new IllegalArgumentException(
                        "a side column has " + values.length + " values for " + idRows.length + " items");
            }
        }
    }

    /** @return items */
    public int size() {
        return idRows.length;
    }

    /**
     * @param row an id row
     * @return whether the row holds an item's id embedding
     */
    static boolean hasIdRow(long row) {
        return row >= ItemVocabulary.FIRST_ITEM;
    }
}
