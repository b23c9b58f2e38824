package dev.hstu.jobs.event;

import dev.hstu.sink.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns raw Kafka records into validated events; every rejected record goes to {@link #DEAD_LETTERS} with its raw
 * payload, its reason and its Kafka coordinates, and is counted in the {@code deadLetters} metric.
 */
public final class ParseEventsFunction extends ProcessFunction<RawRecord, InteractionEvent> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final EventParser parser;
    private transient Counter valid;
    private transient Counter rejected;

    public ParseEventsFunction(EventRules rules) {
        this.parser = new EventParser(rules);
    }

    @Override
    public void open(OpenContext openContext) {
        valid = getRuntimeContext().getMetricGroup().counter("validEvents");
        rejected = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<InteractionEvent> out) {
        long now = ctx.timerService().currentProcessingTime();
        ParseResult result = parser.parse(raw.payload(), now);
        if (result.isValid()) {
            valid.inc();
            out.collect(result.event());
        } else {
            rejected.inc();
            ctx.output(
                    DEAD_LETTERS,
                    DeadLetter.of(result.rejection(), raw.payload(), raw.topic(), raw.partition(), raw.offset(), now));
        }
    }
}
