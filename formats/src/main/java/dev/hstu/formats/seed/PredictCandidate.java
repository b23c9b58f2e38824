package dev.hstu.formats.seed;

/**
 * One line of the seed's {@code predict_set.jsonl}: an item that may be recommended.
 *
 * @param creativeId the item's id (the model's external item id)
 * @param retrievalId the id retrieval results are written in
 */
public record PredictCandidate(long creativeId, long retrievalId) {}
