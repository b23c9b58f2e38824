package dev.hstu.jobs.serve;

import dev.hstu.jobs.config.ServingSettings;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.sequence.SequenceState;
import dev.hstu.jobs.sequence.UserSequence;
import dev.hstu.jobs.train.ModelVersion;
import dev.hstu.sink.Recommendation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyed by user: keeps the user's recent interactions and emits fresh top-K lists.
 *
 * <p>Two triggers re-score a user whose history changed: a new model version (all changed users in batches, or
 * every user for a final version) and, between versions, a processing-time timer {@code refreshDelayMs} after the
 * first unscored change, so no change waits for the next version. The model is broadcast as a manifest; each
 * subtask loads and verifies the version's files itself and keeps serving the previous version if that fails.
 */
public final class ServingFunction
        extends KeyedBroadcastProcessFunction<Long, InteractionEvent, ModelVersion, Recommendation> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ServingFunction.class);
    private static final int SCORING_BATCH = 256;

    /** The newest model version that loaded, under the single key {@link #LATEST}. */
    public static final MapStateDescriptor<String, ModelVersion> MODEL_STATE =
            new MapStateDescriptor<>("model-version", Types.STRING, TypeInformation.of(ModelVersion.class));

    private static final String LATEST = "latest";

    private final ServingSettings settings;
    private final int maxLength;
    private final Duration ttl;

    private transient ValueStateDescriptor<UserSequence> sequenceDescriptor;
    private transient ValueState<UserSequence> sequences;
    private transient ScoringModel scorer;
    /** A version that failed to load is not retried on every user's timer. */
    private transient long failedVersion = -1;
    private transient Counter emitted;
    private transient Counter loadFailures;
    private transient Histogram freshness;

    public ServingFunction(ServingSettings settings, int maxLength, Duration ttl) {
        this.settings = settings;
        this.maxLength = maxLength;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        sequenceDescriptor = SequenceState.descriptor(ttl);
        sequences = getRuntimeContext().getState(sequenceDescriptor);
        emitted = getRuntimeContext().getMetricGroup().counter("recommendationsEmitted");
        loadFailures = getRuntimeContext().getMetricGroup().counter("modelLoadFailures");
        freshness = getRuntimeContext().getMetricGroup().histogram("freshnessMs",
                new DescriptiveStatisticsHistogram(10_000));
        getRuntimeContext().getMetricGroup().gauge("modelVersion", () -> scorer == null ? -1L : scorer.version().version());
    }

    @Override
    public void processElement(InteractionEvent event, ReadOnlyContext ctx, Collector<Recommendation> out)
            throws Exception {
        UserSequence sequence = sequences.value();
        if (sequence == null) {
            sequence = new UserSequence();
        }
        boolean firstChange = sequence.pending == 0;
        long now = ctx.timerService().currentProcessingTime();
        if (firstChange) {
            sequence.pendingSinceMs = now;
            ctx.timerService().registerProcessingTimeTimer(now + settings.refreshDelayMs());
        }
        sequence.add(event.itemId(), event.action(), event.timestampMs(), maxLength);
        sequences.update(sequence);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out) throws Exception {
        UserSequence sequence = sequences.value();
        if (sequence == null || sequence.pending == 0) {
            return;
        }
        ScoringModel model = currentModel(ctx.getBroadcastState(MODEL_STATE));
        if (model == null) {
            return; // No model yet: the first version re-scores every changed user.
        }
        emit(model.recommend(List.of(ctx.getCurrentKey()), List.of(sequence), settings.topK(),
                settings.excludeSeen()), out);
        markScored(sequence, ctx.timerService().currentProcessingTime());
        sequences.update(sequence);
    }

    @Override
    public void processBroadcastElement(ModelVersion version, Context ctx, Collector<Recommendation> out)
            throws Exception {
        BroadcastState<String, ModelVersion> state = ctx.getBroadcastState(MODEL_STATE);
        ModelVersion current = state.get(LATEST);
        if (current != null && version.version() <= current.version()) {
            LOG.info("Ignoring model version {}: version {} is already in use", version.version(), current.version());
            return;
        }
        ScoringModel model = modelFor(version);
        if (model == null || model.version().version() != version.version()) {
            // Not recorded as the latest: a subtask restored from a checkpoint must come back serving the version
            // that loads, not one that does not (it would serve nothing until the next version).
            return;
        }
        state.put(LATEST, version);
        List<Long> users = new ArrayList<>(SCORING_BATCH);
        List<UserSequence> batch = new ArrayList<>(SCORING_BATCH);
        boolean everyone = version.finalVersion();
        long before = emitted.getCount();
        ctx.applyToKeyedState(sequenceDescriptor, (user, userState) -> {
            UserSequence sequence = userState.value();
            if (sequence == null || (!everyone && sequence.pending == 0)) {
                return;
            }
            users.add(user);
            batch.add(sequence);
            markScored(sequence, ctx.currentProcessingTime());
            userState.update(sequence);
            if (users.size() == SCORING_BATCH) {
                emit(model.recommend(users, batch, settings.topK(), settings.excludeSeen()), out);
                users.clear();
                batch.clear();
            }
        });
        if (!users.isEmpty()) {
            emit(model.recommend(users, batch, settings.topK(), settings.excludeSeen()), out);
        }
        LOG.info("Model version {}: re-scored {} {} users", version.version(), emitted.getCount() - before,
                everyone ? "(all)" : "changed");
    }

    /** The scorer for the newest version that loaded, loading it on first use (after a restore); null if none. */
    private ScoringModel currentModel(ReadOnlyBroadcastState<String, ModelVersion> state) throws Exception {
        return modelFor(state.get(LATEST));
    }

    /** The scorer for {@code wanted}, loading it if needed; the current one (or null) if it cannot be loaded. */
    private ScoringModel modelFor(ModelVersion wanted) {
        if (wanted == null) {
            return scorer;
        }
        if ((scorer != null && scorer.version().version() == wanted.version()) || wanted.version() == failedVersion) {
            return scorer;
        }
        try {
            ScoringModel loaded = ScoringModel.load(wanted);
            if (scorer != null) {
                scorer.close();
            }
            scorer = loaded;
            LOG.info("Serving model version {} (step {})", wanted.version(), wanted.step());
        } catch (RuntimeException e) {
            failedVersion = wanted.version();
            loadFailures.inc();
            LOG.error("Cannot load model version {} from {}; still serving {}: {}", wanted.version(), wanted.path(),
                    scorer == null ? "nothing" : "version " + scorer.version().version(), e.getMessage());
        }
        return scorer;
    }

    /**
     * Records how long the user's oldest unscored change waited for this list (event-to-recommendation freshness,
     * inside the job; the exactly-once sink adds up to one checkpoint interval before readers see it).
     */
    private void markScored(UserSequence sequence, long nowMs) {
        if (sequence.pending > 0 && sequence.pendingSinceMs > 0) {
            freshness.update(nowMs - sequence.pendingSinceMs);
        }
        sequence.pending = 0;
        sequence.pendingSinceMs = 0;
    }

    private void emit(List<Recommendation> recommendations, Collector<Recommendation> out) {
        for (Recommendation r : recommendations) {
            out.collect(r);
        }
        emitted.inc(recommendations.size());
    }

    @Override
    public void close() throws Exception {
        if (scorer != null) {
            scorer.close();
        }
        super.close();
    }
}
