package dev.hstu.model.eval;

import ai.djl.ndarray.NDArray;
import dev.hstu.model.data.PackedBatch;

/** Scores every item for each history of a batch; what the evaluator ranks targets with. */
public interface RankingScorer {

    /**
     * Called inside the evaluator's {@code NDScope}: the result and its temporaries are freed when
     * the batch is done.
     *
     * @param histories one sequence per case
     * @param itemRows score item rows {@code 2..itemRows-1}
     * @return {@code [histories.size(), itemRows-2]} scores, higher is better; column {@code j}
     *     is item row {@code j+2}
     */
    NDArray scores(PackedBatch histories, int itemRows);
}
