package dev.hstu.model.data;

import dev.hstu.formats.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Maps external 64-bit item ids to dense row indices of the item table and back.
 *
 * <p>Index {@value #PADDING} is padding and {@value #OUT_OF_VOCABULARY} the shared row of every
 * unknown item; real items get {@code 2..capacity-1} in order of first sight. When the table is
 * full, new ids map to {@value #OUT_OF_VOCABULARY} and are counted in {@link #overflowCount()}.
 * Not thread-safe: one instance per operator/trainer.
 */
public final class ItemVocabulary {

    /** Row of padding positions. */
    public static final int PADDING = 0;
    /** Row shared by all ids without a row of their own. */
    public static final int OUT_OF_VOCABULARY = 1;
    /** First row of a real item. */
    public static final int FIRST_ITEM = 2;

    private final int capacity;
    private final LongIntOpenHashMap indexById;
    private long[] idByIndex;
    private int size = FIRST_ITEM;
    private long overflowCount;

    /**
     * Creates an empty vocabulary.
     *
     * @param capacity rows of the item table including the two reserved rows ({@code >= 3})
     */
    public ItemVocabulary(int capacity) {
        if (capacity < 3) {
            throw new IllegalArgumentException(
                    "vocabulary capacity must be >= 3 (rows 0 and 1 are reserved), got " + capacity);
        }
        this.capacity = capacity;
        int initial = Math.min(capacity, 1024);
        this.indexById = new LongIntOpenHashMap(initial);
        this.idByIndex = new long[initial];
    }

    /**
     * Returns the row of {@code id}, assigning the next free row to a new id.
     *
     * @param id external item id
     * @return its row, or {@value #OUT_OF_VOCABULARY} when the table is full
     */
    public int indexOrAssign(long id) {
        int index = indexById.get(id);
        if (index != 0) {
            return index;
        }
        if (size >= capacity) {
            overflowCount++;
            return OUT_OF_VOCABULARY;
        }
        index = size++;
        if (index >= idByIndex.length) {
            idByIndex = Arrays.copyOf(idByIndex, Math.min(capacity, idByIndex.length * 2));
        }
        idByIndex[index] = id;
        indexById.putNew(id, index);
        return index;
    }

    /**
     * Looks up without assigning.
     *
     * @param id external item id
     * @return its row, or {@value #OUT_OF_VOCABULARY} when unknown
     */
    public int indexOf(long id) {
        int index = indexById.get(id);
        return index != 0 ? index : OUT_OF_VOCABULARY;
    }

    /**
     * @param index a real item row in {@code [2, size())}
     * @return the external id of that row
     * @throws IllegalArgumentException for reserved or unassigned rows
     */
    public long idOf(int index) {
        if (index < FIRST_ITEM || index >= size) {
            throw new IllegalArgumentException(
                    "item index " + index + " has no id: assigned rows are [" + FIRST_ITEM + ", " + size + ")");
        }
        return idByIndex[index];
    }

    /** @return rows in use including the two reserved rows, i.e. the next free row */
    public int size() {
        return size;
    }

    /** @return maximum rows, including the two reserved rows */
    public int capacity() {
        return capacity;
    }

    /** @return how many assignments were refused because the table was full */
    public long overflowCount() {
        return overflowCount;
    }

    /**
     * Writes the ids of rows {@code 2..size()-1}, in row order, as little-endian unsigned 64-bit
     * integers with no header ({@code id.u64bin} layout: entry {@code k} is row {@code k+2}, the
     * same order as an exported item-embedding file), through {@link AtomicFiles}.
     *
     * @param file destination
     * @throws IOException if writing fails
     */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            ByteBuffer buf = ByteBuffer.allocate(8 * 1024).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = FIRST_ITEM; i < size; i++) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putLong(idByIndex[i]);
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    /**
     * Loads a file written by {@link #save(Path)} with room for exactly the loaded items: a
     * frozen vocabulary for serving or evaluation (new ids map to out-of-vocabulary).
     *
     * @param file the {@code u64bin} file
     * @return the vocabulary
     * @throws IOException if reading fails or the file is malformed
     */
    public static ItemVocabulary load(Path file) throws IOException {
        long bytes = Files.size(file);
        checkLength(file, bytes);
        return load(file, (int) Math.min(Integer.MAX_VALUE, bytes / 8 + FIRST_ITEM));
    }

    /**
     * Loads a file written by {@link #save(Path)} into a vocabulary of the given capacity, so
     * training can keep assigning rows.
     *
     * @param file the {@code u64bin} file
     * @param capacity rows including the two reserved rows
     * @return the vocabulary
     * @throws IOException if reading fails, the file is malformed, repeats an id or does not fit
     */
    public static ItemVocabulary load(Path file, int capacity) throws IOException {
        long bytes = Files.size(file);
        checkLength(file, bytes);
        long count = bytes / 8;
        if (count + FIRST_ITEM > capacity) {
            throw new IOException(
                    file + " holds " + count + " ids, more than capacity " + capacity + " minus 2 reserved rows");
        }
        ItemVocabulary vocabulary = new ItemVocabulary(capacity);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] raw = new byte[8 * 1024];
            ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            long read = 0;
            while (read < count) {
                int chunk = (int) Math.min(raw.length, (count - read) * 8);
                int got = in.readNBytes(raw, 0, chunk);
                if (got != chunk) {
                    throw new IOException(file + " ended early after " + read + " ids");
                }
                buf.clear();
                for (int i = 0; i < chunk / 8; i++) {
                    long id = buf.getLong();
                    int expected = vocabulary.size;
                    if (vocabulary.indexOrAssign(id) != expected) {
                        throw new IOException(file + " repeats id " + id + " at row " + expected);
                    }
                }
                read += chunk / 8;
            }
        }
        return vocabulary;
    }

    private static void checkLength(Path file, long bytes) throws IOException {
        if (bytes % 8 != 0) {
            throw new IOException(file + " is not a u64bin file: length " + bytes + " is not a multiple of 8");
        }
    }
}
