package dev.hstu.model.data;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * A growable primitive array for one {@link FeatureColumn}, for builders that pack rows into
 * batches and are reused across them: rows are set, cleared or copied in place, and {@link #copy}
 * hands out the filled prefix.
 */
public final class ColumnBuffer {

    private final FeatureColumn column;
    private Object values;

    /**
     * @param column the column
     * @param rows initial capacity in rows
     */
    public ColumnBuffer(FeatureColumn column, int rows) {
        this.column = column;
        this.values = ColumnValues.zeros(column, rows).array();
    }

    /** @return the column */
    public FeatureColumn column() {
        return column;
    }

    /** @param rows capacity needed, in rows; grows by at least doubling */
    public void ensureRows(int rows) {
        int capacity = Array.getLength(values) / column.width();
        if (rows <= capacity) {
            return;
        }
        int n = Math.max(rows, capacity * 2) * column.width();
        values = switch (column.type()) {
            case INT -> Arrays.copyOf((int[]) values, n);
            case LONG -> Arrays.copyOf((long[]) values, n);
            case FLOAT -> Arrays.copyOf((float[]) values, n);
        };
    }

    /**
     * @param row first row to zero
     * @param rows rows to zero
     */
    public void clearRows(int row, int rows) {
        int w = column.width();
        switch (column.type()) {
            case INT -> Arrays.fill((int[]) values, row * w, (row + rows) * w, 0);
            case LONG -> Arrays.fill((long[]) values, row * w, (row + rows) * w, 0L);
            case FLOAT -> Arrays.fill((float[]) values, row * w, (row + rows) * w, 0f);
        }
    }

    /**
     * Sets one row from a caller array.
     *
     * @param row the row
     * @param source an array of the column's element type
     * @param from index of the row's first value in {@code source}
     * @throws IllegalArgumentException if the source is of another type or too short, or a float
     *     is not finite
     */
    public void setRow(int row, Object source, int from) {
        int w = column.width();
        if (source == null || source.getClass() != values.getClass()) {
            throw new IllegalArgumentException("column " + column + " takes " + column.type() + " values, got "
                    + (source == null ? "null" : source.getClass().getSimpleName()));
        }
        if (from < 0 || from + w > Array.getLength(source)) {
            throw new IllegalArgumentException("column " + column.name() + " needs " + w + " values from index " + from
                    + " of an array of " + Array.getLength(source));
        }
        if (source instanceof float[] f) {
            for (int i = from; i < from + w; i++) {
                if (!Float.isFinite(f[i])) {
                    throw new IllegalArgumentException(
                            "column " + column.name() + " value " + (i - from) + " must be finite, got " + f[i]);
                }
            }
        }
        System.arraycopy(source, from, values, row * w, w);
    }

    /**
     * Copies whole rows from another column of the same type and width.
     *
     * @param source the rows' column
     * @param fromRow first row there
     * @param toRow first row here
     * @param rows rows to copy
     */
    public void copyRows(ColumnValues source, int fromRow, int toRow, int rows) {
        source.copyRows(fromRow, values, toRow, rows);
    }

    /**
     * Copies the first values of one row of another column of the same type into one row here,
     * zeroing the rest: a row of a wider column is cut, one of a narrower column padded.
     *
     * @param source the row's column
     * @param fromRow the row there
     * @param toRow the row here
     * @return whether values were cut
     */
    public boolean copyRowPrefix(ColumnValues source, int fromRow, int toRow) {
        int w = column.width();
        int sourceWidth = source.column().width();
        int kept = Math.min(w, sourceWidth);
        clearRows(toRow, 1);
        System.arraycopy(source.array(), fromRow * sourceWidth, values, toRow * w, kept);
        return sourceWidth > w;
    }

    /**
     * @param rows rows to copy out
     * @return a copy of the first {@code rows} rows
     */
    public ColumnValues copy(int rows) {
        int n = rows * column.width();
        return switch (column.type()) {
            case INT -> ColumnValues.of(column, Arrays.copyOf((int[]) values, n));
            case LONG -> ColumnValues.of(column, Arrays.copyOf((long[]) values, n));
            case FLOAT -> ColumnValues.of(column, Arrays.copyOf((float[]) values, n));
        };
    }

    /** @return the backing array, valid until the next growth */
    public Object array() {
        return values;
    }
}
