package dev.hstu.jobs.train;

import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.features.ItemVocabulary;

/**
 * Packs sequences of external item ids into a jagged {@link PackedBatch} of dense indices, reusing one builder:
 * no per-event objects. The trainer assigns indices to new items; the scorer only looks them up (unknown items
 * become the out-of-vocabulary row).
 */
public final class SequencePacker {

    private final ItemVocabulary vocabulary;
    private final boolean assignNewItems;
    private final PackedBatch.Builder builder = PackedBatch.builder();

    public SequencePacker(ItemVocabulary vocabulary, boolean assignNewItems) {
        this.vocabulary = vocabulary;
        this.assignNewItems = assignNewItems;
    }

    /** Appends the sequence's last {@code maxLength} events; targets before {@code firstTarget} are not trained. */
    public void add(long[] items, int[] actions, long[] timestampsMs, int firstTarget, int maxLength) {
        add(items, actions, timestampsMs, 0, items.length, firstTarget, maxLength);
    }

    /**
     * Appends the last {@code maxLength} events of the slice {@code [offset, offset + length)} of the arrays (one
     * sequence of a jagged batch); {@code firstTarget} is relative to the slice.
     */
    public void add(long[] items, int[] actions, long[] timestampsMs, int offset, int length, int firstTarget,
            int maxLength) {
        int skip = Math.max(0, length - maxLength);
        for (int i = offset + skip; i < offset + length; i++) {
            int index = assignNewItems ? vocabulary.indexOrAssign(items[i]) : vocabulary.indexOf(items[i]);
            builder.addEvent(index, actions[i], Math.floorDiv(timestampsMs[i], 1000L));
        }
        builder.endSequence(Math.max(0, firstTarget - skip));
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
