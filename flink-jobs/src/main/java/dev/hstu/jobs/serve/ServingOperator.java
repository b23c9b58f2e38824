package dev.hstu.jobs.serve;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.sink.Recommendation;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * Runs a {@link ServingFunction} as Flink's keyed-broadcast operator does, and adds what a function cannot do for
 * itself: a processing-time poll on the task thread that hands a model version, once loaded in the background, back
 * to the function as its manifest, through the broadcast path (the only one that may re-score every user). Without
 * it a version that finished loading would wait for the next manifest. On open it also has the function load again
 * the versions of a restored checkpoint.
 */
public final class ServingOperator
        extends CoBroadcastWithKeyedOperator<Long, InteractionEvent, ModelVersion, Recommendation> {

    private static final long serialVersionUID = 1L;

    /** How soon after a load finishes the new version serves. */
    static final long POLL_MS = 100;

    public ServingOperator(ServingFunction function) {
        super(function, List.of(ServingFunction.MODEL_STATE));
    }

    @Override
    public void open() throws Exception {
        super.open();
        function().resume(getOperatorStateBackend().getBroadcastState(ServingFunction.MODEL_STATE));
        schedulePoll();
    }

    private void schedulePoll() {
        ProcessingTimeService time = getProcessingTimeService();
        time.registerTimer(time.getCurrentProcessingTime() + POLL_MS, now -> {
            ModelVersion loaded = function().finishedLoad();
            if (loaded != null) {
                processElement2(new StreamRecord<>(loaded));
            }
            schedulePoll();
        });
    }

    private ServingFunction function() {
        return (ServingFunction) getUserFunction();
    }
}
