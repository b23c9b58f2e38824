package dev.hstu.ctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.RejectReason;
import dev.hstu.ctr.RejectedCtrEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class CtrEventGateTest {

    @Test
    void passesGoodEventsAndRejectsEachBadOneOnceWithItsReason() throws Exception {
        OneInputStreamOperatorTestHarness<CtrEvent, CtrEvent> h = ProcessFunctionTestHarnesses.forProcessFunction(
                new CtrEventGate(CtrConfig.defaults().withAllowedLateness(Duration.ofSeconds(5))));
        CtrEvent ok = new CtrEvent(1, 2, 1, 100_000);
        CtrEvent withinLateness = new CtrEvent(1, 3, 0, 95_000);
        CtrEvent late = new CtrEvent(1, 4, 1, 94_999);
        CtrEvent unknown = new CtrEvent(1, 5, 8, 100_000);
        h.processElement(ok, ok.timestampMs());
        h.processWatermark(100_000);
        for (CtrEvent e : List.of(withinLateness, late, unknown)) {
            h.processElement(e, e.timestampMs());
        }
        assertThat(h.extractOutputValues()).containsExactly(ok, withinLateness);
        List<RejectedCtrEvent> rejected = new ArrayList<>();
        h.getSideOutput(CtrOutputTags.REJECTED).forEach(r -> rejected.add(r.getValue()));
        assertThat(rejected).extracting(RejectedCtrEvent::event).containsExactly(late, unknown);
        assertThat(rejected)
                .extracting(RejectedCtrEvent::reason)
                .containsExactly(RejectReason.LATE, RejectReason.UNKNOWN_ACTION);
        h.close();
    }
}
