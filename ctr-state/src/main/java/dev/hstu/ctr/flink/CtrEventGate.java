package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrConfig;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrEventValidator;
import dev.hstu.ctr.RejectedCtrEvent;
import java.util.Optional;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes events that may be folded into the statistics and sends the others (negative timestamp,
 * unknown action bits, later than the allowed lateness behind the watermark) to {@link
 * CtrOutputTags#REJECTED} with the reason. Running it once before the user/item split reports each
 * bad event once instead of once per side.
 */
public final class CtrEventGate extends ProcessFunction<CtrEvent, CtrEvent> {
    private static final long serialVersionUID = 1L;
    private final CtrEventValidator validator;

    /** Gate for a configuration. */
    public CtrEventGate(CtrConfig config) {
        this.validator = new CtrEventValidator(config);
    }

    @Override
    public void processElement(CtrEvent event, Context ctx, Collector<CtrEvent> out) {
        Optional<RejectedCtrEvent> reject =
                validator.check(event, ctx.timerService().currentWatermark());
        if (reject.isPresent()) {
            ctx.output(CtrOutputTags.REJECTED, reject.get());
        } else {
            out.collect(event);
        }
    }
}
