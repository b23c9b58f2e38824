package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrFeature;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.RejectedCtrEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The CTR functions wired together, for a job to attach to its event stream:
 *
 * <pre>
 * events -> CtrEventGate -+-> keyBy(user) -> CtrCountsFunction(USER) -+-> counts ----------+
 *                         |                                           |                    |
 *                         +-> keyBy(item) -> CtrCountsFunction(ITEM) -+                    v
 *                                                  | deltas (side output)        CtrFeatureFunction -> features
 *                                                  v                                      ^
 *                         keyBy(side) -> PopulationStatsFunction (parallelism 1) -> broadcast snapshots
 * </pre>
 *
 * Flink 2 has no cyclic iterations, so the population does not feed back into the counters; it
 * reaches the feature function downstream of them, which needs nothing else. Event timestamps
 * must be the events' {@code timestampMs} and the stream must carry watermarks: lateness and
 * population flushes are driven by them.
 *
 * @param features CTR features per folded event, joined by training and serving
 * @param counts per-key counts after each folded event (both sides)
 * @param populations population snapshots (both sides), also broadcast to the feature function
 * @param rejected events not folded, with the reason (dead letters)
 */
public record CtrStreams(
        DataStream<CtrFeature> features,
        DataStream<CtrCountsUpdate> counts,
        DataStream<PopulationSnapshot> populations,
        DataStream<RejectedCtrEvent> rejected) {

    /** Operator uids, stable across versions so savepoints keep restoring. */
    public static final String GATE_UID = "ctr-event-gate";
    /** Uid of the user counting operator. */
    public static final String USER_COUNTS_UID = "ctr-user-counts";
    /** Uid of the item counting operator. */
    public static final String ITEM_COUNTS_UID = "ctr-item-counts";
    /** Uid of the population aggregator. */
    public static final String POPULATION_UID = "ctr-population-stats";
    /** Uid of the feature operator. */
    public static final String FEATURES_UID = "ctr-features";

    /** Attaches the CTR functions to an event stream. */
    public static CtrStreams attach(DataStream<CtrEvent> events, CtrConfig config) {
        SingleOutputStreamOperator<CtrEvent> gated = events.process(
                        new CtrEventGate(config), TypeInformation.of(CtrEvent.class))
                .name("CTR event gate")
                .uid(GATE_UID);
        if (events.getParallelism() > 0) {
            // Same parallelism as the input chains the gate to it: no shuffle before the keyBy.
            gated.setParallelism(events.getParallelism());
        }
        SingleOutputStreamOperator<CtrCountsUpdate> userCounts = counts(gated, CtrSide.USER, config, USER_COUNTS_UID);
        SingleOutputStreamOperator<CtrCountsUpdate> itemCounts = counts(gated, CtrSide.ITEM, config, ITEM_COUNTS_UID);

        DataStream<PopulationSnapshot> populations = userCounts
                .getSideOutput(CtrOutputTags.POPULATION_DELTAS)
                .union(itemCounts.getSideOutput(CtrOutputTags.POPULATION_DELTAS))
                .keyBy(PopulationStatsFunction.SIDE_KEY, TypeInformation.of(String.class))
                .process(new PopulationStatsFunction(config), TypeInformation.of(PopulationSnapshot.class))
                .setParallelism(1)
                .name("CTR population stats")
                .uid(POPULATION_UID);
        BroadcastStream<PopulationSnapshot> broadcastPopulations =
                populations.broadcast(CtrStateDescriptors.POPULATION_SNAPSHOTS);

        DataStream<CtrCountsUpdate> counts = userCounts.union(itemCounts);
        DataStream<CtrFeature> features = counts.connect(broadcastPopulations)
                .process(new CtrFeatureFunction(config), TypeInformation.of(CtrFeature.class))
                .name("CTR features")
                .uid(FEATURES_UID);
        DataStream<RejectedCtrEvent> rejected = gated.getSideOutput(CtrOutputTags.REJECTED)
                .union(
                        userCounts.getSideOutput(CtrOutputTags.REJECTED),
                        itemCounts.getSideOutput(CtrOutputTags.REJECTED));
        return new CtrStreams(features, counts, populations, rejected);
    }

    private static SingleOutputStreamOperator<CtrCountsUpdate> counts(
            DataStream<CtrEvent> events, CtrSide side, CtrConfig config, String uid) {
        return events.keyBy(new CtrEventKeySelector(side), TypeInformation.of(Long.class))
                .process(new CtrCountsFunction(side, config), TypeInformation.of(CtrCountsUpdate.class))
                .name("CTR " + side.fileName() + " counts")
                .uid(uid);
    }
}
