package dev.hstu.model.tasks.retrieval;

/**
 * Each target's own extra negatives: {@code perTarget} slots per target, target-major, grouped by
 * category in the order of {@link RankPackageCategory}. A slot that found no item is {@link
 * #EMPTY}; the loss masks it.
 *
 * @param ids {@code targets * perTarget} item rows, {@link #EMPTY} where none was found
 * @param perTarget slots per target
 * @param slotCategories the category of each of a target's slots
 */
public record RankPackage(long[] ids, int perTarget, RankPackageCategory[] slotCategories) {

    /** The item row of an empty slot (the padding row, never an item). */
    public static final long EMPTY = 0L;

    /** @return number of targets */
    public int targets() {
        return perTarget == 0 ? 0 : ids.length / perTarget;
    }

    /**
     * @param target target index
     * @param slot slot within the target's package
     * @return the item row, or {@link #EMPTY}
     */
    public long id(int target, int slot) {
        return ids[target * perTarget + slot];
    }

    /** @return {@code targets * perTarget} floats, 1 at empty slots: what the loss masks */
    public float[] emptyMask() {
        float[] mask = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            mask[i] = ids[i] == EMPTY ? 1f : 0f;
        }
        return mask;
    }
}
