package dev.hstu.jobs.event;

import dev.hstu.sink.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns raw Kafka records into validated events; every rejected record goes to {@link #DEAD_LETTERS} with its
 * reason, its Kafka coordinates, its size and hash and its payload (an excerpt when the whole would not fit in
 * {@code kafka.deadLetterMaxBytes}), and is counted in the {@code deadLetters} metric.
 */
public final class ParseEventsFunction extends ProcessFunction<RawRecord, InteractionEvent> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final EventParser parser;
    private final int deadLetterMaxBytes;
    private transient Counter valid;
    private transient Counter rejected;

    public ParseEventsFunction(EventRules rules) {
        this(rules, DeadLetter.DEFAULT_MAX_BYTES);
    }

    /** @param deadLetterMaxBytes the bound of a dead letter's JSON ({@code kafka.deadLetterMaxBytes}) */
    public ParseEventsFunction(EventRules rules, int deadLetterMaxBytes) {
        this.parser = new EventParser(rules);
        this.deadLetterMaxBytes = deadLetterMaxBytes;
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
                    DeadLetter.of(
                            result.rejection(),
                            raw.payload(),
                            raw.topic(),
                            raw.partition(),
                            raw.offset(),
                            now,
                            deadLetterMaxBytes));
        }
    }
}
