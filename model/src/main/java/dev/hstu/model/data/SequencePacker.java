package dev.hstu.model.data;

import dev.hstu.model.data.FeatureColumn.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packs sequences of external item ids into a jagged {@link PackedBatch} of dense indices, reusing one builder:
 * no per-event objects. The trainer assigns indices to new items; the scorer only looks them up (unknown items
 * become the out-of-vocabulary row).
 *
 * <p>The packer packs the feature columns its model reads ({@code InputFeatures.columns(config)}), taken by name.
 * Events whose sequence carries a per-event column of another width, or none (state written under another feature
 * configuration), get zeros, the model's "no evidence"; a column the model does not read is ignored. The user
 * features ({@code userFeatureSlots > 0}) are packed as the sequence's first {@code userFeatureSlots} non-empty
 * keys, with empty slots for a user without any.
 */
public final class SequencePacker {

    private final ItemVocabulary vocabulary;
    private final boolean assignNewItems;
    private final List<FeatureColumn> columns;
    private final int denseDim;
    private final int userFeatureSlots;
    private final long[] slots;
    private final float[] zeros;
    private final PackedBatch.Builder builder;

    /** A packer for a model without dense features. */
    public SequencePacker(ItemVocabulary vocabulary, boolean assignNewItems) {
        this(vocabulary, assignNewItems, 0);
    }

    /** @param denseDim the model's dense features per event ({@code model.features.denseDim}) */
    public SequencePacker(ItemVocabulary vocabulary, boolean assignNewItems, int denseDim) {
        this(vocabulary, assignNewItems, denseDim, 0);
    }

    /**
     * @param denseDim         the model's dense features per event ({@code model.features.denseDim})
     * @param userFeatureSlots the model's user-feature keys per sequence ({@code model.features.userFeatures.slots})
     */
    public SequencePacker(ItemVocabulary vocabulary, boolean assignNewItems, int denseDim, int userFeatureSlots) {
        this(vocabulary, assignNewItems, standardColumns(denseDim, userFeatureSlots));
    }

    /** @param columns the feature columns the model reads ({@code InputFeatures.columns(config)}) */
    public SequencePacker(ItemVocabulary vocabulary, boolean assignNewItems, List<FeatureColumn> columns) {
        this.vocabulary = vocabulary;
        this.assignNewItems = assignNewItems;
        this.columns = List.copyOf(columns);
        this.builder = PackedBatch.builder(columns);
        this.denseDim = builder.denseDim();
        this.userFeatureSlots = builder.userFeatureSlots();
        this.slots = new long[userFeatureSlots];
        this.zeros = new float[denseDim];
    }

    private static List<FeatureColumn> standardColumns(int denseDim, int userFeatureSlots) {
        List<FeatureColumn> columns = new ArrayList<>();
        if (denseDim > 0) {
            columns.add(FeatureColumn.dense(denseDim));
        }
        if (userFeatureSlots > 0) {
            columns.add(FeatureColumn.userFeatures(userFeatureSlots));
        }
        return columns;
    }

    /** Appends the sequence's last {@code maxLength} events; targets before {@code firstTarget} are not trained. */
    public void add(long[] items, int[] actions, long[] timestampsMs, int firstTarget, int maxLength) {
        add(items, actions, timestampsMs, null, 0, 0, items.length, firstTarget, maxLength, null, 0, 0);
    }

    /**
     * Appends the last {@code maxLength} events of sequence {@code s} of a micro-batch, with every column the
     * model reads that the batch carries.
     *
     * @param firstTarget the first position to train, relative to the sequence (its own, or 0 for all)
     */
    public void add(MicroBatch batch, int s, int firstTarget, int maxLength) {
        int slots = batch.userFeatureSlots();
        append(
                batch.items(),
                batch.actions(),
                batch.timestampsMs(),
                batch.features(),
                batch.featureDim(),
                batch.offsets()[s],
                batch.length(s),
                firstTarget,
                maxLength,
                batch.userFeatures(),
                s * slots,
                slots,
                batch,
                s);
    }

    /**
     * Appends the last {@code maxLength} events of the slice {@code [offset, offset + length)} of the arrays (one
     * sequence of a jagged batch); {@code firstTarget} is relative to the slice.
     *
     * @param features     event-major dense features of the whole arrays, {@code featureDim} per event; null for none
     * @param featureDim   width of {@code features}
     * @param userFeatures the sequence's user-feature keys are {@code userFeatures[userFrom .. userFrom+userCount)};
     *                     null for none (0 marks an empty slot and is skipped)
     */
    public void add(
            long[] items,
            int[] actions,
            long[] timestampsMs,
            float[] features,
            int featureDim,
            int offset,
            int length,
            int firstTarget,
            int maxLength,
            long[] userFeatures,
            int userFrom,
            int userCount) {
        append(
                items,
                actions,
                timestampsMs,
                features,
                featureDim,
                offset,
                length,
                firstTarget,
                maxLength,
                userFeatures,
                userFrom,
                userCount,
                null,
                0);
    }

    private void append(
            long[] items,
            int[] actions,
            long[] timestampsMs,
            float[] features,
            int featureDim,
            int offset,
            int length,
            int firstTarget,
            int maxLength,
            long[] userFeatures,
            int userFrom,
            int userCount,
            MicroBatch others,
            int sequence) {
        int skip = Math.max(0, length - maxLength);
        boolean copyFeatures = denseDim > 0 && features != null && featureDim == denseDim;
        for (int i = offset + skip; i < offset + length; i++) {
            int index = assignNewItems ? vocabulary.indexOrAssign(items[i]) : vocabulary.indexOf(items[i]);
            long seconds = Math.floorDiv(timestampsMs[i], 1000L);
            if (denseDim == 0) {
                builder.addEvent(index, actions[i], seconds);
            } else if (copyFeatures) {
                builder.addEvent(index, actions[i], seconds, features, i * denseDim);
            } else {
                builder.addEvent(index, actions[i], seconds, zeros, 0);
            }
            if (others != null) {
                setOtherColumns(others, Scope.EVENT, i);
            }
        }
        if (others != null) {
            setOtherColumns(others, Scope.SEQUENCE, sequence);
        }
        if (userFeatureSlots == 0) {
            builder.endSequence(Math.max(0, firstTarget - skip));
            return;
        }
        Arrays.fill(slots, PackedBatch.NO_USER_FEATURE);
        int filled = 0;
        for (int i = 0; userFeatures != null && i < userCount && filled < userFeatureSlots; i++) {
            long key = userFeatures[userFrom + i];
            if (key != PackedBatch.NO_USER_FEATURE) {
                slots[filled++] = key;
            }
        }
        builder.endSequence(Math.max(0, firstTarget - skip), slots, 0);
    }

    /** Sets the columns other than the dense and user features, where the batch has them as the model reads them. */
    private void setOtherColumns(MicroBatch batch, Scope scope, int row) {
        for (FeatureColumn column : columns) {
            if (column.scope() != scope
                    || column.name().equals(FeatureColumn.DENSE)
                    || column.name().equals(FeatureColumn.USER_FEATURES)) {
                continue;
            }
            ColumnValues values = batch.column(column.name());
            if (values != null && values.column().equals(column)) {
                builder.set(column.name(), values.array(), row * column.width());
            }
        }
    }

    public int size() {
        return builder.size();
    }

    /** The batch packed so far; the packer is empty afterwards. */
    public PackedBatch drain() {
        PackedBatch batch = builder.build();
        builder.reset();
        return batch;
    }
}
