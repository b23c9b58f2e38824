package dev.hstu.model.tasks.ranking;

import dev.hstu.model.data.ColumnValues;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.PackedBatch;

/**
 * Where a ranking batch's candidates are: the last {@code numTargets} events of each sequence.
 *
 * @param flatRows per candidate, its row {@code s*L + p} in the padded {@code [B, L]} output
 * @param events per candidate, its index in the batch's packed event arrays (its item, action, label columns)
 * @param sequences per candidate, its sequence in the batch
 */
public record CandidateRows(long[] flatRows, int[] events, int[] sequences) {

    /**
     * @param batch a ranking batch
     * @param paddedLength {@code L} of the padded output
     * @return its candidates, in sequence then position order
     * @throws IllegalArgumentException if the batch has no {@link FeatureColumn#NUM_TARGETS} column or no candidate
     */
    public static CandidateRows of(PackedBatch batch, int paddedLength) {
        ColumnValues column = batch.column(FeatureColumn.NUM_TARGETS);
        if (column == null) {
            throw new IllegalArgumentException(
                    "a ranking batch needs the " + FeatureColumn.NUM_TARGETS + " column (candidates per sequence)");
        }
        int[] targets = column.ints();
        int count = 0;
        for (int t : targets) {
            count += t;
        }
        if (count == 0) {
            throw new IllegalArgumentException(
                    "ranking batch has no candidates: numTargets is 0 in all " + batch.size() + " sequences");
        }
        long[] rows = new long[count];
        int[] events = new int[count];
        int[] sequences = new int[count];
        int c = 0;
        for (int s = 0; s < batch.size(); s++) {
            int len = batch.length(s);
            for (int p = len - targets[s]; p < len; p++) {
                rows[c] = (long) s * paddedLength + p;
                events[c] = batch.offsets()[s] + p;
                sequences[c] = s;
                c++;
            }
        }
        return new CandidateRows(rows, events, sequences);
    }

    /** @return number of candidates */
    public int size() {
        return events.length;
    }

    /** @return per candidate, its item row */
    public long[] items(PackedBatch batch) {
        long[] items = new long[events.length];
        for (int c = 0; c < events.length; c++) {
            items[c] = batch.items()[events[c]];
        }
        return items;
    }
}
