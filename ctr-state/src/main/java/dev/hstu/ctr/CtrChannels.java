package dev.hstu.ctr;

/**
 * The CTR channels an event carries into the model's dense feature input, defined once for every
 * path that builds them (the streaming jobs, and any offline path that wants the same features).
 *
 * <p>Per event, in this order:
 *
 * <ol>
 *   <li>the user's standardised smoothed CTR ({@link CtrFeature#ctrZ()}),
 *   <li>the item's standardised smoothed CTR,
 *   <li>the user's decayed exposures, {@code log1p(n) / log1p(COUNT_SCALE)},
 *   <li>the item's decayed exposures, the same way.
 * </ol>
 *
 * The counts say how much evidence stands behind each CTR: a z-score of a key seen twice means
 * little next to one seen ten thousand times, and the smoothing alone hides that difference. They
 * are scaled so that a key with {@link #COUNT_SCALE} exposures reads 1, on the scale of the
 * z-scores: raw log-counts of up to 10 would swamp the item embedding they are added to.
 */
public final class CtrChannels {
    /** Channels per event. */
    public static final int COUNT = 4;
    /**
     * Bound of a standardised CTR. A population with almost no spread (early in a stream, or with
     * a strong prior) turns small differences into huge z-scores; unbounded, one such key would
     * dominate the projected input.
     */
    public static final double Z_LIMIT = 5.0;

    /** Exposures that read as 1 in the count channels. */
    public static final double COUNT_SCALE = 10_000;

    private static final double LOG_COUNT_SCALE = Math.log1p(COUNT_SCALE);

    private CtrChannels() {}

    /**
     * Writes an event's channels into {@code out[at .. at + COUNT)}.
     *
     * @param user the user's features as of the event; null when the user has no counts (zeros: an
     *     average CTR backed by no evidence)
     * @param item the item's features as of the event; null as for the user
     */
    public static void write(CtrFeature user, CtrFeature item, float[] out, int at) {
        out[at] = user == null ? 0f : (float) clip(user.ctrZ());
        out[at + 1] = item == null ? 0f : (float) clip(item.ctrZ());
        out[at + 2] = user == null ? 0f : (float) count(user.exposures());
        out[at + 3] = item == null ? 0f : (float) count(item.exposures());
    }

    /** An event's channels as a new array. */
    public static float[] of(CtrFeature user, CtrFeature item) {
        float[] out = new float[COUNT];
        write(user, item, out, 0);
        return out;
    }

    /** The count channel of {@code exposures}. */
    public static double count(double exposures) {
        return Math.log1p(exposures) / LOG_COUNT_SCALE;
    }

    /** The exposures a count channel stands for: the inverse of {@link #count}. */
    public static double exposures(double countChannel) {
        return Math.expm1(countChannel * LOG_COUNT_SCALE);
    }

    private static double clip(double z) {
        return Math.max(-Z_LIMIT, Math.min(Z_LIMIT, z));
    }
}
