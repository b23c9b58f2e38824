package dev.hstu.model.tasks.retrieval;

/**
 * The negatives shared by all targets of one step.
 *
 * @param ids candidate item rows (in-batch first, then sampled, then any the caller added)
 * @param logExpectedCount per candidate, {@code log} of the number of times its item is expected
 *     among the candidates under the sampling that produced them (summed over in-batch, popularity
 *     and uniform draws, plus 1 per added copy); subtracting it from the candidate's logit is the sampled-softmax
 *     (logQ) correction; null when the caller did not ask for it (counting the in-batch items
 *     costs a hash-map pass over every target of the step)
 */
public record Candidates(long[] ids, float[] logExpectedCount) {

    /** @return number of candidates */
    public int size() {
        return ids.length;
    }
}
