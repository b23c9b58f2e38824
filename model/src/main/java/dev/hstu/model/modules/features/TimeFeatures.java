package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.modules.positional.TimeBuckets;
import java.util.List;

/**
 * With {@code timeFeatures}: one learned row for the event's hour of the week (UTC weekday x hour,
 * which carries both the hour-of-day and the weekday signal) and one for the log-bucketed gap to
 * the previous event (0 for the first). The gap to the query time is per (query, key) pair and is
 * the relative time bias's job: an input feature cannot carry it without making position {@code
 * p} depend on later events. A ranking candidate's previous event is the last history event, not
 * the candidate before it.
 */
public final class TimeFeatures implements InputFeature {

    /** Rows of the hour-of-week table: 7 days x 24 hours. */
    public static final int HOURS_PER_WEEK = 7 * 24;

    /** On with {@code timeFeatures}. */
    public static final Kind KIND = new Kind() {
        @Override
        public boolean enabled(HstuConfig config) {
            return config.features().time();
        }

        @Override
        public InputFeature create(HstuConfig config, FeatureRegistrar registrar) {
            return new TimeFeatures(
                    registrar.table("hourOfWeek", HOURS_PER_WEEK),
                    registrar.table("gapToPrevious", config.stu().timeBuckets()),
                    config.stu().timeBuckets());
        }
    };

    private final Parameter hourOfWeek;
    private final Parameter gap;
    private final int timeBuckets;

    private TimeFeatures(Parameter hourOfWeek, Parameter gap, int timeBuckets) {
        this.hourOfWeek = hourOfWeek;
        this.gap = gap;
        this.timeBuckets = timeBuckets;
    }

    @Override
    public String name() {
        return "time";
    }

    @Override
    public List<String> reads() {
        return List.of(PaddedSequences.HOUR_OF_WEEK, FeatureColumn.TIMESTAMPS);
    }

    @Override
    public int fieldCount() {
        return 2;
    }

    @Override
    public NDList fields(ParameterStore ps, FeatureInputs inputs) {
        NDArray hours = inputs.require(
                PaddedSequences.HOUR_OF_WEEK,
                "model.features.time=true needs the hourOfWeek input (use PaddedSequences.of)");
        NDArray timestamps = inputs.require(FeatureColumn.TIMESTAMPS, "model.features.time=true needs the timestamps");
        return new NDList(
                TableLookup.lookup(ps, hourOfWeek, hours),
                TableLookup.lookup(
                        ps,
                        gap,
                        TimeBuckets.of(gapToPrevious(timestamps, inputs.get(PaddedSequences.POSITIONS)), timeBuckets)));
    }

    /**
     * @param positions {@code [B, L]} positions of a ranking batch (candidates at the first candidate's); null
     *     otherwise
     * @return {@code [B, L]} int64 gap to the event at the position before, 0 at position 0
     */
    private static NDArray gapToPrevious(NDArray timestamps, NDArray positions) {
        if (positions == null) {
            return gapToPrevious(timestamps);
        }
        NDArray previous = positions.sub(1L).maximum(0L);
        return timestamps.sub(timestamps.gather(previous, 1));
    }

    /** @return {@code [B, L]} int64 {@code t[p] - t[p-1]}, 0 at {@code p = 0} */
    private static NDArray gapToPrevious(NDArray timestamps) {
        long l = timestamps.getShape().get(1);
        NDArray shifted = l > 1
                ? timestamps.get(new NDIndex(":, 0:1")).concat(timestamps.get(new NDIndex(":, 0:" + (l - 1))), 1)
                : timestamps;
        return timestamps.sub(shifted);
    }
}
