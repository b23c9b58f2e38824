package dev.hstu.model.data;

/**
 * Open-addressing (linear probing) map from any {@code long} key to a positive {@code int}, with
 * no boxing. Value 0 marks an empty slot, so stored values must be {@code > 0}. No removal: the
 * vocabulary only grows.
 */
final class LongIntOpenHashMap {

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;

    LongIntOpenHashMap(int expectedSize) {
        int cap = Integer.highestOneBit(Math.max(4, expectedSize) * 2 - 1) << 1;
        keys = new long[cap];
        values = new int[cap];
        mask = cap - 1;
    }

    /** @return the value of {@code key}, or 0 when absent */
    int get(long key) {
        int slot = slot(key);
        while (values[slot] != 0) {
            if (keys[slot] == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return 0;
    }

    /** Inserts {@code key -> value} (value > 0); the key must be absent. */
    void putNew(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(key, value);
        size++;
    }

    int size() {
        return size;
    }

    private void insert(long key, int value) {
        int slot = slot(key);
        while (values[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != 0) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private int slot(long key) {
        // Murmur3 finaliser: sequential or strided ids must not cluster in the probe sequence.
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
