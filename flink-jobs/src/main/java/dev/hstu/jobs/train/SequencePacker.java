package dev.hstu.jobs.train;

import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import java.util.Arrays;

/**
 * Packs sequences of external item ids into a jagged {@link PackedBatch} of dense indices, reusing one builder:
 * no per-event objects. The trainer assigns indices to new items; the scorer only looks them up (unknown items
 * become the out-of-vocabulary row).
 *
 * <p>A packer for a model with dense features ({@code denseDim > 0}) packs each event's features; events whose
 * sequence carries features of another width (state written under another feature configuration) get zeros, the
 * model's "no evidence". A packer for a model without them ignores any features it is given. Likewise a packer
 * for a model with user features ({@code userFeatureSlots > 0}) packs each sequence's keys, the first
 * {@code userFeatureSlots} of them, and empty slots for a user without any.
 */
public final class SequencePacker {

    private final ItemVocabulary vocabulary;
    private final boolean assignNewItems;
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
        this.vocabulary = vocabulary;
        this.assignNewItems = assignNewItems;
        this.denseDim = denseDim;
        this.userFeatureSlots = userFeatureSlots;
        this.slots = new long[userFeatureSlots];
        this.zeros = new float[denseDim];
        this.builder = PackedBatch.builder(denseDim, userFeatureSlots);
    }

    /** Appends the sequence's last {@code maxLength} events; targets before {@code firstTarget} are not trained. */
    public void add(long[] items, int[] actions, long[] timestampsMs, int firstTarget, int maxLength) {
        add(items, actions, timestampsMs, null, 0, 0, items.length, firstTarget, maxLength, null, 0, 0);
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
