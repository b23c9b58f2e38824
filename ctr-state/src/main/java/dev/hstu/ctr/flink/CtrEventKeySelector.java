package dev.hstu.ctr.flink;

import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.CtrSide;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys events by user id or by item id. */
public final class CtrEventKeySelector implements KeySelector<CtrEvent, Long> {
    private static final long serialVersionUID = 1L;
    private final CtrSide side;

    /** Selector for one side. */
    public CtrEventKeySelector(CtrSide side) {
        this.side = side;
    }

    @Override
    public Long getKey(CtrEvent event) {
        return side.keyOf(event);
    }
}
