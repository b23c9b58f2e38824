package dev.hstu.jobs.ctr;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrSide;
import dev.hstu.ctr.PopulationSnapshot;
import dev.hstu.ctr.RejectedCtrEvent;
import dev.hstu.ctr.flink.CtrOutputTags;
import dev.hstu.ctr.flink.CtrStateDescriptors;
import dev.hstu.ctr.flink.PopulationStatsFunction;
import dev.hstu.jobs.event.InteractionEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The CTR stage of the training and serving jobs: attaches {@link dev.hstu.ctr.CtrChannels} to every event before
 * the per-user sequence state.
 *
 * <pre>
 * events -> keyBy(item) -> EventCountsFunction(ITEM) -> keyBy(user) -> EventCountsFunction(USER) --+
 *                                  | deltas                                 | deltas               |
 *                                  +----------> PopulationStatsFunction <---+                      v
 *                                               (parallelism 1) -> broadcast snapshots -> CtrChannelsFunction
 *                                                                                                  |
 *                                                          events with CTR channels, keyed by user <-+
 * </pre>
 *
 * Counting travels with the event instead of joining a feature stream back to it: the event reaches the sequence
 * state with the counts its own fold produced, in order, with no buffering or join state. Flink has no cycles, so
 * the population reaches the channels downstream of both counters.
 *
 * @param events      the events with their channels, partitioned by user (see {@link #keyedByUser()})
 * @param populations population snapshots of both sides, as broadcast
 * @param rejected    events the CTR definition refused (they go on without this side's counts), with the reason
 */
public record CtrStage(
        DataStream<InteractionEvent> events,
        DataStream<PopulationSnapshot> populations,
        DataStream<RejectedCtrEvent> rejected) {

    /** Attaches the stage to parsed, validated events. */
    public static CtrStage attach(DataStream<InteractionEvent> events, CtrConfig config, long flushMs) {
        SingleOutputStreamOperator<CountedEvent> items = events.map(
                        CountedEvent::of, TypeInformation.of(CountedEvent.class))
                .name("CTR input")
                .uid("ctr-input")
                .keyBy(c -> c.event().itemId(), Types.LONG)
                .process(new EventCountsFunction(CtrSide.ITEM, config, flushMs), TypeInformation.of(CountedEvent.class))
                .name("CTR item counts")
                .uid("ctr-item-counts");
        SingleOutputStreamOperator<CountedEvent> users = items.keyBy(
                        c -> c.event().userId(), Types.LONG)
                .process(new EventCountsFunction(CtrSide.USER, config, flushMs), TypeInformation.of(CountedEvent.class))
                .name("CTR user counts")
                .uid("ctr-user-counts");

        DataStream<PopulationSnapshot> populations = items.getSideOutput(CtrOutputTags.POPULATION_DELTAS)
                .union(users.getSideOutput(CtrOutputTags.POPULATION_DELTAS))
                .keyBy(PopulationStatsFunction.SIDE_KEY, Types.STRING)
                .process(new PopulationStatsFunction(config), TypeInformation.of(PopulationSnapshot.class))
                .setParallelism(1)
                .setMaxParallelism(1)
                .name("CTR population")
                .uid("ctr-population");

        // Still partitioned by user: the channels and the sequence state run in the same task, without a shuffle.
        DataStream<InteractionEvent> featured = DataStreamUtils.reinterpretAsKeyedStream(
                        users, c -> c.event().userId(), Types.LONG)
                .connect(populations.broadcast(CtrStateDescriptors.POPULATION_SNAPSHOTS))
                .process(new CtrChannelsFunction(config), TypeInformation.of(InteractionEvent.class))
                .name("CTR channels")
                .uid("ctr-channels");
        DataStream<RejectedCtrEvent> rejected =
                items.getSideOutput(CtrOutputTags.REJECTED).union(users.getSideOutput(CtrOutputTags.REJECTED));
        return new CtrStage(featured, populations, rejected);
    }

    /** The events with their channels, keyed by user without another shuffle. */
    public KeyedStream<InteractionEvent, Long> keyedByUser() {
        return DataStreamUtils.reinterpretAsKeyedStream(events, InteractionEvent::userId, Types.LONG);
    }
}
