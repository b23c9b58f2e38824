package dev.hstu.model.data;

import dev.hstu.model.data.FeatureColumn.ElementType;
import java.util.Arrays;

/**
 * One column's values: a flat primitive array of {@link FeatureColumn#width()} values per row,
 * row-major, shared without copying (treat it as read-only).
 */
public final class ColumnValues {

    private final FeatureColumn column;
    private final Object values;
    private final int length;

    private ColumnValues(FeatureColumn column, Object values, int length) {
        this.column = column;
        this.values = values;
        this.length = length;
    }

    /**
     * @param column an {@code INT} column
     * @param values its values
     * @return the column
     * @throws IllegalArgumentException if the column is of another type
     */
    public static ColumnValues of(FeatureColumn column, int[] values) {
        return new ColumnValues(check(column, ElementType.INT, values), values, values.length);
    }

    /**
     * @param column a {@code LONG} column
     * @param values its values
     * @return the column
     * @throws IllegalArgumentException if the column is of another type
     */
    public static ColumnValues of(FeatureColumn column, long[] values) {
        return new ColumnValues(check(column, ElementType.LONG, values), values, values.length);
    }

    /**
     * @param column a {@code FLOAT} column
     * @param values its values
     * @return the column
     * @throws IllegalArgumentException if the column is of another type
     */
    public static ColumnValues of(FeatureColumn column, float[] values) {
        return new ColumnValues(check(column, ElementType.FLOAT, values), values, values.length);
    }

    /**
     * @param column any column
     * @param rows rows to allocate
     * @return zeros for {@code rows} rows
     */
    public static ColumnValues zeros(FeatureColumn column, int rows) {
        int n = Math.multiplyExact(rows, column.width());
        return switch (column.type()) {
            case INT -> of(column, new int[n]);
            case LONG -> of(column, new long[n]);
            case FLOAT -> of(column, new float[n]);
        };
    }

    private static FeatureColumn check(FeatureColumn column, ElementType type, Object values) {
        if (column.type() != type) {
            throw new IllegalArgumentException("column " + column + " holds " + column.type() + " values, not " + type);
        }
        if (values == null) {
            throw new IllegalArgumentException("column " + column.name() + " has no values");
        }
        return column;
    }

    /** @return the column's name and shape */
    public FeatureColumn column() {
        return column;
    }

    /** @return the column's name */
    public String name() {
        return column.name();
    }

    /** @return the number of values (rows times width) */
    public int length() {
        return length;
    }

    /** @return the number of rows */
    public int rows() {
        return length / column.width();
    }

    /** @return the values of an {@code INT} column */
    public int[] ints() {
        return (int[]) typed(ElementType.INT);
    }

    /** @return the values of a {@code LONG} column */
    public long[] longs() {
        return (long[]) typed(ElementType.LONG);
    }

    /** @return the values of a {@code FLOAT} column */
    public float[] floats() {
        return (float[]) typed(ElementType.FLOAT);
    }

    /** @return the values as their primitive array */
    public Object array() {
        return values;
    }

    private Object typed(ElementType type) {
        if (column.type() != type) {
            throw new IllegalStateException("column " + column + " is not " + type);
        }
        return values;
    }

    /**
     * Copies rows of this column into another column of the same type and width.
     *
     * @param fromRow first row here
     * @param target where to write
     * @param toRow first row there
     * @param rows rows to copy
     */
    public void copyRows(int fromRow, Object target, int toRow, int rows) {
        int w = column.width();
        System.arraycopy(values, fromRow * w, target, toRow * w, rows * w);
    }

    /** @return the first non-finite value of a {@code FLOAT} column as {@code index}, or -1 */
    public int firstNonFinite() {
        if (column.type() != ElementType.FLOAT) {
            return -1;
        }
        float[] v = floats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnValues c
                && column.equals(c.column)
                && switch (column.type()) {
                    case INT -> Arrays.equals(ints(), c.ints());
                    case LONG -> Arrays.equals(longs(), c.longs());
                    case FLOAT -> Arrays.equals(floats(), c.floats());
                };
    }

    @Override
    public int hashCode() {
        return column.hashCode() * 31
                + switch (column.type()) {
                    case INT -> Arrays.hashCode(ints());
                    case LONG -> Arrays.hashCode(longs());
                    case FLOAT -> Arrays.hashCode(floats());
                };
    }

    @Override
    public String toString() {
        return column + "[" + length + "]";
    }
}
