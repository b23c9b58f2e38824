package dev.hstu.jobs.serve;

import dev.hstu.formats.store.ModelVersion;
import dev.hstu.jobs.config.ServingSettings;
import dev.hstu.jobs.event.InteractionEvent;
import dev.hstu.jobs.sequence.SequenceState;
import dev.hstu.jobs.sequence.UserSequence;
import dev.hstu.model.serve.ScoringModel;
import dev.hstu.sink.DeadLetter;
import dev.hstu.sink.JsonCodec;
import dev.hstu.sink.QueryEmbedding;
import dev.hstu.sink.Recommendation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by user: keeps the user's recent interactions and emits fresh top-K lists, and on the side output
 * {@link #QUERY_EMBEDDINGS} the query embedding each list was scored with.
 *
 * <p>Two triggers re-score a user whose history changed: a new model version (all changed users in batches, or
 * every user for a final version) and, between versions, a processing-time timer {@code refreshDelayMs} after the
 * first unscored change, so no change waits for the next version. The model is broadcast as a manifest; each
 * subtask loads and verifies the version's files itself in the background ({@link ModelLoader}) and serves the
 * previous version until the new one has loaded, or for good if it fails to.
 *
 * <p>Swapping in a loaded version re-scores users, which only the broadcast side may do (it alone can visit every
 * key): a finished load is taken over when the next manifest arrives or when {@link ServingOperator}, which runs
 * this function, hands its manifest back on a processing-time poll. Either way it happens on the task thread.
 *
 * <p>A user whose history the model refuses (an action outside the served version's action space, say, when that
 * version was trained with another {@code model.features.actions.numActions}) gets no list: the user goes to
 * {@link #UNSCORABLE} as a dead letter with the reason, is counted in {@code unscorableUsers}, and every other user
 * of the batch is scored as usual. Failing the job would only restart it into the same refusal.
 */
public final class ServingFunction
        extends KeyedBroadcastProcessFunction<Long, InteractionEvent, ModelVersion, Recommendation> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ServingFunction.class);
    private static final int SCORING_BATCH = 256;

    /**
     * The newest model version that loaded, under the key {@link #LATEST}, and every version announced since that has
     * not loaded or failed yet, under {@code pending-<version>}: a subtask restored from a checkpoint loads them
     * again, since the source will not replay their manifests. One entry for the newest pending version alone would
     * lose an older one that was about to load if the newest then fails.
     */
    public static final MapStateDescriptor<String, ModelVersion> MODEL_STATE =
            new MapStateDescriptor<>("model-version", Types.STRING, TypeInformation.of(ModelVersion.class));

    /** The query embedding of every list on the main output, same user, version and event time. */
    public static final OutputTag<QueryEmbedding> QUERY_EMBEDDINGS =
            new OutputTag<>("query-embeddings", TypeInformation.of(QueryEmbedding.class));

    /** Users the served model refuses to score, with the reason and their history. */
    public static final OutputTag<DeadLetter> UNSCORABLE =
            new OutputTag<>("unscorable-users", TypeInformation.of(DeadLetter.class));

    private static final String LATEST = "latest";
    private static final String PENDING = "pending-";

    private final ServingSettings settings;
    private final int maxLength;
    private final Duration ttl;
    private final ModelSource models;
    private final int deadLetterMaxBytes;

    private transient ValueStateDescriptor<UserSequence> sequenceDescriptor;
    private transient ValueState<UserSequence> sequences;
    private transient ModelLoader loader;
    private transient ScoringModel scorer;
    private transient Counter emitted;
    private transient Counter loadFailures;
    private transient Counter unscorable;
    private transient Histogram freshness;

    public ServingFunction(ServingSettings settings, int maxLength, Duration ttl) {
        this(settings, maxLength, ttl, ModelSource.FILES);
    }

    /** With another way to load versions (tests: slow or failing loads). */
    public ServingFunction(ServingSettings settings, int maxLength, Duration ttl, ModelSource models) {
        this(settings, maxLength, ttl, models, DeadLetter.DEFAULT_MAX_BYTES);
    }

    /** @param deadLetterMaxBytes the bound of an unscorable user's dead letter ({@code kafka.deadLetterMaxBytes}) */
    public ServingFunction(
            ServingSettings settings, int maxLength, Duration ttl, ModelSource models, int deadLetterMaxBytes) {
        this.settings = settings;
        this.maxLength = maxLength;
        this.ttl = ttl;
        this.models = models;
        this.deadLetterMaxBytes = deadLetterMaxBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        sequenceDescriptor = SequenceState.descriptor(ttl);
        sequences = getRuntimeContext().getState(sequenceDescriptor);
        loader = new ModelLoader(
                models, "hstu-model-loader-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        emitted = getRuntimeContext().getMetricGroup().counter("recommendationsEmitted");
        loadFailures = getRuntimeContext().getMetricGroup().counter("modelLoadFailures");
        unscorable = getRuntimeContext().getMetricGroup().counter("unscorableUsers");
        freshness = getRuntimeContext()
                .getMetricGroup()
                .histogram("freshnessMs", new DescriptiveStatisticsHistogram(10_000));
        getRuntimeContext().getMetricGroup().gauge("modelVersion", this::servingVersion);
    }

    /** The model version this subtask serves now; -1 before the first one has loaded. */
    public long servingVersion() {
        return scorer == null ? -1L : scorer.version().version();
    }

    /** Versions that failed to load so far. */
    public long modelLoadFailures() {
        return loadFailures.getCount();
    }

    /** After a restore: loads again the version that was serving, then the pending ones, oldest first. */
    void resume(ReadOnlyBroadcastState<String, ModelVersion> state) throws Exception {
        ModelVersion latest = state.get(LATEST);
        if (latest != null) {
            loader.request(latest);
        }
        List<ModelVersion> pending = new ArrayList<>();
        for (Map.Entry<String, ModelVersion> entry : state.immutableEntries()) {
            if (entry.getKey().startsWith(PENDING)) {
                pending.add(entry.getValue());
            }
        }
        pending.sort(Comparator.comparingLong(ModelVersion::version));
        pending.forEach(loader::request);
    }

    /** The manifest of a background load that has finished and is not taken over yet; null if none. */
    ModelVersion finishedLoad() {
        return loader.finished();
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
        sequence.add(event.itemId(), event.action(), event.timestampMs(), event.features(), maxLength);
        sequence.updateUserFeatures(event.userFeatures());
        sequences.update(sequence);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out) throws Exception {
        UserSequence sequence = sequences.value();
        if (sequence == null || sequence.pending == 0 || scorer == null) {
            return; // Without a model yet, the first version to load re-scores every changed user.
        }
        emit(
                score(List.of(ctx.getCurrentKey()), List.of(history(sequence)), scorer, l -> ctx.output(UNSCORABLE, l)),
                out,
                e -> ctx.output(QUERY_EMBEDDINGS, e));
        markScored(sequence, ctx.timerService().currentProcessingTime());
        sequences.update(sequence);
    }

    /**
     * Takes over a finished load, then treats {@code version} as an announcement: a version newer than any loaded
     * or loading starts loading. A manifest handed back by the poll is, by then, not newer and changes nothing.
     */
    @Override
    public void processBroadcastElement(ModelVersion version, Context ctx, Collector<Recommendation> out)
            throws Exception {
        BroadcastState<String, ModelVersion> state = ctx.getBroadcastState(MODEL_STATE);
        takeOverFinishedLoad(state, ctx, out);
        ModelVersion latest = state.get(LATEST);
        if ((latest != null && version.version() <= latest.version()) || loader.hasFailed(version)) {
            return;
        }
        if (!state.contains(PENDING + version.version())) {
            state.put(PENDING + version.version(), version);
            LOG.info(
                    "Loading model version {} (step {}) in the background; serving {} meanwhile",
                    version.version(),
                    version.step(),
                    scorer == null ? "nothing" : "version " + scorer.version().version());
        }
        loader.request(version);
    }

    private void takeOverFinishedLoad(
            BroadcastState<String, ModelVersion> state, Context ctx, Collector<Recommendation> out) throws Exception {
        ModelLoader.Result done = loader.poll();
        if (done == null) {
            return;
        }
        ModelVersion version = done.version();
        // this one and the older ones it overtook are no longer pending, loaded or not
        List<String> settled = new ArrayList<>();
        for (Map.Entry<String, ModelVersion> entry : state.entries()) {
            if (entry.getKey().startsWith(PENDING) && entry.getValue().version() <= version.version()) {
                settled.add(entry.getKey());
            }
        }
        for (String key : settled) {
            state.remove(key);
        }
        if (done.model() == null) {
            loadFailures.inc();
            LOG.error(
                    "Cannot load model version {} from {}; still serving {}: {}",
                    version.version(),
                    version.path(),
                    scorer == null ? "nothing" : "version " + scorer.version().version(),
                    done.failure().getMessage());
            return;
        }
        if (scorer != null && scorer.version().version() >= version.version()) {
            done.model().close(); // Overtaken; cannot happen while loads run in version order, but never go back.
            return;
        }
        if (scorer != null) {
            scorer.close();
        }
        scorer = done.model();
        // Recorded only now that it has loaded: a restored subtask comes back serving a version that loads.
        ModelVersion latest = state.get(LATEST);
        boolean announced = latest == null || version.version() > latest.version();
        if (announced) {
            state.put(LATEST, version);
        }
        LOG.info("Serving model version {} (step {})", version.version(), version.step());
        // A version loaded again after a restore re-scores only changed users: the rest have committed lists.
        rescore(ctx, out, announced && version.finalVersion(), version);
    }

    private void rescore(Context ctx, Collector<Recommendation> out, boolean everyone, ModelVersion version)
            throws Exception {
        List<Long> users = new ArrayList<>(SCORING_BATCH);
        List<ScoringModel.History> batch = new ArrayList<>(SCORING_BATCH);
        long before = emitted.getCount();
        ScoringModel model = scorer;
        Consumer<QueryEmbedding> side = e -> ctx.output(QUERY_EMBEDDINGS, e);
        Consumer<DeadLetter> refused = l -> ctx.output(UNSCORABLE, l);
        ctx.applyToKeyedState(sequenceDescriptor, (user, userState) -> {
            UserSequence sequence = userState.value();
            if (sequence == null || (!everyone && sequence.pending == 0)) {
                return;
            }
            users.add(user);
            batch.add(history(sequence));
            markScored(sequence, ctx.currentProcessingTime());
            userState.update(sequence);
            if (users.size() == SCORING_BATCH) {
                emit(score(users, batch, model, refused), out, side);
                users.clear();
                batch.clear();
            }
        });
        if (!users.isEmpty()) {
            emit(score(users, batch, model, refused), out, side);
        }
        LOG.info(
                "Model version {}: re-scored {} {} users",
                version.version(),
                emitted.getCount() - before,
                everyone ? "(all)" : "changed");
    }

    /**
     * Scores the users, and when the model refuses the batch, each user alone, so that only the users it refuses
     * go without a list (to {@code refused}, as dead letters).
     */
    private List<ScoringModel.Scored> score(
            List<Long> users, List<ScoringModel.History> batch, ScoringModel model, Consumer<DeadLetter> refused) {
        try {
            return model.score(users, batch, settings.topK(), settings.excludeSeen());
        } catch (IllegalArgumentException e) {
            if (users.size() == 1) {
                refuse(users.get(0), batch.get(0), model, e.getMessage(), refused);
                return List.of();
            }
        }
        List<ScoringModel.Scored> out = new ArrayList<>(users.size());
        for (int i = 0; i < users.size(); i++) {
            out.addAll(score(List.of(users.get(i)), List.of(batch.get(i)), model, refused));
        }
        return out;
    }

    private void refuse(
            long user, ScoringModel.History history, ScoringModel model, String why, Consumer<DeadLetter> refused) {
        unscorable.inc();
        String reason = "cannot score user " + Long.toUnsignedString(user) + " with model version "
                + model.version().version() + ": " + why;
        LOG.error("{}; no list for this user until their history changes", reason);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("user_id", Long.toUnsignedString(user));
        payload.put("items", history.items());
        payload.put("actions", history.actions());
        payload.put("timestamps", history.timestampsMs());
        refused.accept(DeadLetter.of(
                reason, JsonCodec.toBytes(payload), null, -1, -1, System.currentTimeMillis(), deadLetterMaxBytes));
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

    /** @return the user's state as the scorer reads it (the arrays are shared, not copied) */
    public static ScoringModel.History history(UserSequence sequence) {
        return new ScoringModel.History(
                sequence.items,
                sequence.actions,
                sequence.timestampsMs,
                sequence.features,
                sequence.featureDim,
                sequence.userFeatures());
    }

    private void emit(List<ScoringModel.Scored> scored, Collector<Recommendation> out, Consumer<QueryEmbedding> side) {
        for (ScoringModel.Scored s : scored) {
            out.collect(new Recommendation(
                    s.userId(), s.items(), s.scores(), s.modelVersion(), s.eventTimeMs(), s.scoredAtMs()));
        }
        for (ScoringModel.Scored s : scored) {
            side.accept(new QueryEmbedding(s.userId(), s.query(), s.modelVersion(), s.eventTimeMs(), s.scoredAtMs()));
        }
        emitted.inc(scored.size());
    }

    @Override
    public void close() throws Exception {
        if (loader != null) {
            loader.close();
        }
        if (scorer != null) {
            scorer.close();
        }
        super.close();
    }
}
