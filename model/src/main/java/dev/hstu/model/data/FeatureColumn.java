package dev.hstu.model.data;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name and shape of one column of a {@link PackedBatch}: a per-event column holds {@code width}
 * values for every event, a per-sequence column {@code width} values for every sequence, both flat
 * and row-major, sharing the batch's offsets. Features are found by name, so a new input is a new
 * column rather than a new position in every record and codec that carries a batch.
 *
 * @param name the column's name (letters, digits, {@code _ . -}); unique within a batch
 * @param scope whether a row is an event or a sequence
 * @param type the element type of the values
 * @param width values per row ({@code >= 1})
 */
public record FeatureColumn(String name, Scope scope, ElementType type, int width) {

    // before the constants below, which the constructor checks against it
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Dense item index per event (see {@link PackedBatch}). */
    public static final String ITEMS = "items";
    /** Action bitmask per event. */
    public static final String ACTIONS = "actions";
    /** Epoch seconds per event. */
    public static final String TIMESTAMPS = "timestamps";
    /** Dense features per event (CTR channels, prices, projected content). */
    public static final String DENSE = "dense";
    /** Hashed user-feature keys per sequence ({@link UserFeatureHashing#key}), 0 in empty slots. */
    public static final String USER_FEATURES = "userFeatures";

    /**
     * Per sequence, how many of its last events are ranking candidates (targets) rather than history; absent = 0. A
     * candidate attends to the history and to itself only, its action is its label and never an input, and its
     * position is that of the first candidate (see {@code AttentionStructure}).
     */
    public static final String NUM_TARGETS = "numTargets";

    /** The item column every batch has. */
    public static final FeatureColumn ITEM_COLUMN = event(ITEMS, ElementType.INT, 1);
    /** The action column every batch has. */
    public static final FeatureColumn ACTION_COLUMN = event(ACTIONS, ElementType.INT, 1);
    /** The time column every batch has. */
    public static final FeatureColumn TIMESTAMP_COLUMN = event(TIMESTAMPS, ElementType.LONG, 1);

    /** The per-sequence count of trailing candidates of a ranking batch. */
    public static final FeatureColumn NUM_TARGETS_COLUMN = sequence(NUM_TARGETS, ElementType.INT, 1);

    /** Where a column's rows are. */
    public enum Scope {
        /** one row per event */
        EVENT,
        /** one row per sequence */
        SEQUENCE
    }

    /** The primitive type of a column's values. */
    public enum ElementType {
        INT,
        LONG,
        FLOAT
    }

    /** @throws IllegalArgumentException on a bad name or width */
    public FeatureColumn {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(type, "type");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "column name must be 1-64 of [A-Za-z0-9_.-], got " + (name == null ? "null" : "'" + name + "'"));
        }
        if (width < 1) {
            throw new IllegalArgumentException("column " + name + " must have width >= 1, got " + width);
        }
    }

    /**
     * @param name column name
     * @param type element type
     * @param width values per event
     * @return a per-event column
     */
    public static FeatureColumn event(String name, ElementType type, int width) {
        return new FeatureColumn(name, Scope.EVENT, type, width);
    }

    /**
     * @param name column name
     * @param type element type
     * @param width values per sequence
     * @return a per-sequence column
     */
    public static FeatureColumn sequence(String name, ElementType type, int width) {
        return new FeatureColumn(name, Scope.SEQUENCE, type, width);
    }

    /**
     * @param width dense features per event
     * @return the dense-feature column
     */
    public static FeatureColumn dense(int width) {
        return event(DENSE, ElementType.FLOAT, width);
    }

    /**
     * @param slots keys per sequence
     * @return the user-feature column
     */
    public static FeatureColumn userFeatures(int slots) {
        return sequence(USER_FEATURES, ElementType.LONG, slots);
    }

    /**
     * @param events events of the batch
     * @param sequences sequences of the batch
     * @return how many values this column holds in such a batch
     */
    public long valueCount(int events, int sequences) {
        return (long) (scope == Scope.EVENT ? events : sequences) * width;
    }

    @Override
    public String toString() {
        return name + "(" + scope.name().toLowerCase(java.util.Locale.ROOT) + " "
                + type.name().toLowerCase(java.util.Locale.ROOT) + " x" + width + ")";
    }
}
