package dev.hstu.model.tasks.match;

import dev.hstu.model.data.ItemVocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Items by external id with what the item tower reads of them, whether or not the model has an id row for them: the
 * catalogue {@code hstu export} embeds and the candidates {@code hstu predict} scores.
 *
 * @param ids the items' external ids
 * @param inputs their id rows ({@link ItemVocabulary#OUT_OF_VOCABULARY} for an item the model never trained on) and
 *     side values, in the order of {@code ids}
 */
public record ItemCatalogue(long[] ids, ItemTowerInputs inputs) {

    /**
     * The model's items in row order, then every item the side files list that the vocabulary lacks, by ascending
     * id: the whole catalogue, cold items included. Without side columns it is the vocabulary's items.
     *
     * @param vocabulary the model's item rows
     * @param side per side column of the tower, item id to value
     * @param files per side column, the file read, for messages
     * @return the catalogue
     * @throws IllegalArgumentException if an item of the vocabulary is missing from a side file
     */
    public static ItemCatalogue whole(ItemVocabulary vocabulary, List<Map<Long, Integer>> side, List<Path> files) {
        List<Long> ids = new ArrayList<>();
        for (int row = ItemVocabulary.FIRST_ITEM; row < vocabulary.size(); row++) {
            ids.add(vocabulary.idOf(row));
        }
        if (!side.isEmpty()) {
            side.get(0).keySet().stream()
                    .filter(id -> vocabulary.indexOf(id) < ItemVocabulary.FIRST_ITEM)
                    .sorted()
                    .forEach(ids::add);
        }
        return of(ids.stream().mapToLong(Long::longValue).toArray(), vocabulary, side, files);
    }

    /**
     * @param ids items by external id
     * @param vocabulary the model's item rows
     * @param side per side column of the tower, item id to value
     * @param files per side column, the file read, for messages
     * @return the items with their tower inputs
     * @throws IllegalArgumentException naming the file and the item when a side file lacks one of them
     */
    public static ItemCatalogue of(
            long[] ids, ItemVocabulary vocabulary, List<Map<Long, Integer>> side, List<Path> files) {
        long[] rows = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = vocabulary.indexOf(ids[i]);
        }
        List<int[]> values = new ArrayList<>();
        for (int c = 0; c < side.size(); c++) {
            int[] column = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                Integer value = side.get(c).get(ids[i]);
                if (value == null) {
                    throw new IllegalArgumentException(
                            files.get(c) + " lists no item " + ids[i] + ", which the item tower needs");
                }
                column[i] = value;
            }
            values.add(column);
        }
        return new ItemCatalogue(ids, new ItemTowerInputs(rows, values));
    }

    /** @return items */
    public int size() {
        return ids.length;
    }

    /**
     * @param from first item
     * @param to end item (exclusive)
     * @return items {@code [from, to)}
     */
    public ItemCatalogue slice(int from, int to) {
        List<int[]> values = new ArrayList<>();
        for (int[] column : inputs.side()) {
            values.add(Arrays.copyOfRange(column, from, to));
        }
        return new ItemCatalogue(
                Arrays.copyOfRange(ids, from, to),
                new ItemTowerInputs(Arrays.copyOfRange(inputs.idRows(), from, to), values));
    }

    /** @return how many items have no id row (embedded from their side features alone) */
    public int withoutIdRow() {
        int n = 0;
        for (long row : inputs.idRows()) {
            n += ItemTowerInputs.hasIdRow(row) ? 0 : 1;
        }
        return n;
    }
}
