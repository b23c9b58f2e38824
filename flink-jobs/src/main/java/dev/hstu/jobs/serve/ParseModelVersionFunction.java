package dev.hstu.jobs.serve;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.event.RawRecord;
import dev.hstu.sink.JsonCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads model manifests from the model-updates topic. The topic is written only by the trainer, so an unreadable
 * record means a foreign producer or a version skew: it is logged in full and counted, and serving carries on
 * with the model it has.
 */
public final class ParseModelVersionFunction extends RichFlatMapFunction<RawRecord, ModelVersion> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseModelVersionFunction.class);

    private transient Counter unreadable;

    @Override
    public void open(OpenContext openContext) {
        unreadable = getRuntimeContext().getMetricGroup().counter("unreadableModelUpdates");
    }

    @Override
    public void flatMap(RawRecord raw, Collector<ModelVersion> out) {
        try {
            out.collect(JsonCodec.fromBytes(raw.payload(), ModelVersion.class));
        } catch (RuntimeException e) {
            unreadable.inc();
            LOG.error(
                    "Unreadable model update at {}-{}@{}: {} -- payload: {}",
                    raw.topic(),
                    raw.partition(),
                    raw.offset(),
                    e.getMessage(),
                    raw.payload() == null ? "null" : new String(raw.payload(), StandardCharsets.UTF_8));
        }
    }
}
