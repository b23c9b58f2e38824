package dev.hstu.ctr.flink;

import dev.hstu.ctr.PopulationDelta;
import dev.hstu.ctr.RejectedCtrEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs of the CTR functions. */
public final class CtrOutputTags {
    /** Events not folded into the statistics (invalid or too late), with the reason. */
    public static final OutputTag<RejectedCtrEvent> REJECTED =
            new OutputTag<>("ctr-rejected", TypeInformation.of(RejectedCtrEvent.class));

    /** Population changes of a counting subtask, for the population aggregator. */
    public static final OutputTag<PopulationDelta> POPULATION_DELTAS =
            new OutputTag<>("ctr-population-deltas", TypeInformation.of(PopulationDelta.class));

    private CtrOutputTags() {}
}
