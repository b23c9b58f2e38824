package dev.hstu.model.serve;

/**
 * Which of a user's newest events {@link IncrementalEncoder} encodes for the query after the newest one, so that a
 * user whose history fills the model's window is not re-encoded at every event: once the window is full, the
 * encoder re-encodes only the newest {@code maxSeqLen - slack} events, then extends that cache by one event at a
 * time until the window is full again. With {@code slack = 0} every event of a full window is a re-encode (the
 * query equals a full encode of the newest {@code maxSeqLen} events); with {@code slack = k}, one event in
 * {@code k + 1} is, and a query sees between {@code maxSeqLen - k} and {@code maxSeqLen} events (measured against
 * the full window by {@code bench/run incremental-encoding}: on ml-latest-small with a window of 50, slack 5 kept a
 * top-10 overlap of 0.87 with the full window's list, slack 25 0.80, so a small window is best served with slack 0).
 *
 * @param maxSeqLen the model's longest sequence
 * @param slack events dropped beyond the one the window must lose when it is re-encoded, {@code 0..maxSeqLen-1}
 */
public record CacheWindow(int maxSeqLen, int slack) {

    /** Checks the bounds. */
    public CacheWindow {
        if (maxSeqLen < 1 || slack < 0 || slack >= maxSeqLen) {
            throw new IllegalArgumentException(
                    "need maxSeqLen >= 1 and 0 <= slack < maxSeqLen, got " + maxSeqLen + ", " + slack);
        }
    }

    /**
     * @param cached the events the user's cache holds, which are the ones just before the newest; 0 without a cache
     * @param history the events kept for the user, the newest included
     * @return how many of the newest events to encode: the cache and the new event while they fit in the window (an
     *     append), else the whole window without a cache, else {@code maxSeqLen - slack} (a re-encode)
     */
    public int length(int cached, int history) {
        if (cached > 0 && cached + 1 <= maxSeqLen && cached + 1 <= history) {
            return cached + 1;
        }
        if (cached == 0) {
            return Math.min(history, maxSeqLen);
        }
        return Math.min(history, maxSeqLen - slack);
    }
}
