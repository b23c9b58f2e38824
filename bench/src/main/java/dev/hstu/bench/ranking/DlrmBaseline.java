package dev.hstu.bench.ranking;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.config.RankingTaskConfig;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.eval.BinaryMetrics;
import dev.hstu.model.eval.RankingEvaluator;
import dev.hstu.model.ops.LinearParameters;
import dev.hstu.model.tasks.ranking.FusionTower;
import dev.hstu.model.tasks.ranking.RankingLoss;
import dev.hstu.model.tasks.ranking.RankingSamples;
import dev.hstu.model.train.AdamW;
import dev.hstu.model.train.Autograd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The DLRM-style baseline of the ranking benchmark: no sequence, only the candidate's user and item ids (one learned
 * row each) and two counts (the user's events before the window and the item's events in the training part of every
 * user, both as {@code log(1+n)} through a linear map), concatenated with the user-item product and fed to the same
 * fusion tower and loss as the ranking task. Trained with AdamW on the same samples, scored on the same windows.
 */
final class DlrmBaseline extends AbstractBlock implements AutoCloseable {

    private final RankingConfig config;
    private final int dim;
    private final Parameter users;
    private final Parameter items;
    private final Parameter denseWeight;
    private final Parameter denseBias;
    private final FusionTower tower;
    private final NDManager manager;
    private final ParameterStore store;

    DlrmBaseline(RankingConfig config, int userRows, int itemRows, int dim, long seed) {
        this.config = config;
        this.dim = dim;
        this.users = addParameter(table("users", userRows, dim));
        this.items = addParameter(table("items", itemRows, dim));
        this.denseWeight = addParameter(LinearParameters.weight("denseWeight", dim, 2));
        this.denseBias = addParameter(LinearParameters.bias("denseBias", dim));
        this.tower = addChildBlock("tower", new FusionTower(config, 4 * dim));
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        this.manager = engine.newBaseManager();
        initialize(manager, DataType.FLOAT32, new Shape(1, 4 * dim));
        this.store = new ParameterStore(manager, false);
    }

    private static Parameter table(String name, int rows, int dim) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, dim))
                .optInitializer(new TruncatedNormalInitializer(0.02f))
                .build();
    }

    /** The candidates of some windows as flat arrays. */
    record Candidates(long[] users, long[] items, float[] dense, float[] labels, long[] userIds) {
        int size() {
            return users.length;
        }
    }

    /** Per item row, its events in the training part of every user (before the validation window). */
    static float[] itemCounts(UserSequences sequences, RankingSamples.Split split, int itemRows) {
        float[] counts = new float[itemRows];
        for (RankingSamples.Window w : split.validation()) {
            int[] items = sequences.items().get(w.user());
            for (int i = 0; i < w.from(); i++) {
                counts[items[i]]++;
            }
        }
        return counts;
    }

    static Candidates candidates(
            UserSequences sequences, List<RankingSamples.Window> windows, float[] itemCounts, RankingConfig config) {
        int n = windows.stream().mapToInt(RankingSamples.Window::count).sum();
        int tasks = config.tasks().size();
        long[] users = new long[n];
        long[] items = new long[n];
        float[] dense = new float[2 * n];
        float[] labels = new float[n * tasks];
        long[] ids = new long[n];
        int c = 0;
        for (RankingSamples.Window w : windows) {
            for (int i = w.from(); i < w.from() + w.count(); i++, c++) {
                int item = sequences.items().get(w.user())[i];
                int action = sequences.actions().get(w.user())[i];
                users[c] = w.user() + 1; // row 0 unused
                items[c] = item;
                dense[2 * c] = (float) Math.log1p(w.from());
                dense[2 * c + 1] = (float) Math.log1p(itemCounts[item]);
                for (int t = 0; t < tasks; t++) {
                    labels[c * tasks + t] = config.tasks().get(t).positive(action) ? 1f : 0f;
                }
                ids[c] = sequences.userIds()[w.user()];
            }
        }
        return new Candidates(users, items, dense, labels, ids);
    }

    private NDArray logits(NDArray userRows, NDArray itemRows, NDArray dense) {
        NDArray u = Embedding.embedding(userRows, store.getValue(users, manager.getDevice(), true), SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray i = Embedding.embedding(itemRows, store.getValue(items, manager.getDevice(), true), SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray d = Linear.linear(
                        dense,
                        store.getValue(denseWeight, manager.getDevice(), true),
                        store.getValue(denseBias, manager.getDevice(), true))
                .singletonOrThrow();
        float scale = (float) Math.sqrt(dim);
        NDArray x = new NDList(u.mul(scale), i.mul(scale), d, u.mul(i).mul(scale * scale))
                .stream().reduce((a, b) -> a.concat(b, 1)).orElseThrow();
        return tower.apply(store, x);
    }

    /**
     * Trains for some epochs, keeping the epoch with the best mean validation AUC.
     *
     * @return the test metrics of that epoch
     */
    RankingEvaluator.Result fit(
            Candidates train,
            Candidates validation,
            Candidates test,
            int epochs,
            int batchSize,
            float learningRate,
            long seed) {
        RankingLoss loss = new RankingLoss(config);
        Random random = new Random(seed);
        Integer[] order = new Integer[train.size()];
        Arrays.setAll(order, i -> i);
        double bestAuc = Double.NEGATIVE_INFINITY;
        RankingEvaluator.Result bestTest = null;
        long step = 0;
        int tasks = config.tasks().size();
        try (AdamW optimizer = new AdamW(getParameters(), manager, 0f, 1f)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                java.util.Collections.shuffle(Arrays.asList(order), random);
                for (int from = 0; from < order.length; from += batchSize) {
                    int n = Math.min(batchSize, order.length - from);
                    long[] u = new long[n];
                    long[] it = new long[n];
                    float[] d = new float[2 * n];
                    float[] y = new float[n * tasks];
                    for (int k = 0; k < n; k++) {
                        int c = order[from + k];
                        u[k] = train.users()[c];
                        it[k] = train.items()[c];
                        d[2 * k] = train.dense()[2 * c];
                        d[2 * k + 1] = train.dense()[2 * c + 1];
                        System.arraycopy(train.labels(), c * tasks, y, k * tasks, tasks);
                    }
                    try (NDScope ignored = new NDScope()) {
                        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                            NDArray logits =
                                    logits(manager.create(u), manager.create(it), manager.create(d, new Shape(n, 2)));
                            collector.backward(loss.compute(logits, y).value());
                        }
                        step++;
                        optimizer.update(step, learningRate, optimizer.gradientNorm());
                    }
                    Autograd.disableOnThisThread();
                }
                RankingEvaluator.Result v = evaluate(validation);
                if (v.meanAuc() > bestAuc) {
                    bestAuc = v.meanAuc();
                    bestTest = evaluate(test);
                }
            }
        }
        return bestTest;
    }

    RankingEvaluator.Result evaluate(Candidates candidates) {
        int tasks = config.tasks().size();
        float[] p;
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            NDArray logits = logits(
                    manager.create(candidates.users()),
                    manager.create(candidates.items()),
                    manager.create(candidates.dense(), new Shape(candidates.size(), 2)));
            p = ai.djl.nn.Activation.sigmoid(logits).toFloatArray();
        }
        List<RankingEvaluator.TaskResult> results = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            double[] prob = new double[candidates.size()];
            boolean[] label = new boolean[candidates.size()];
            for (int c = 0; c < candidates.size(); c++) {
                prob[c] = p[c * tasks + t];
                label[c] = candidates.labels()[c * tasks + t] > 0.5f;
            }
            RankingTaskConfig task = config.tasks().get(t);
            results.add(new RankingEvaluator.TaskResult(
                    task.name(), task.type(), BinaryMetrics.of(candidates.userIds(), prob, label), Double.NaN));
        }
        return new RankingEvaluator.Result(results, candidates.size());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("DlrmBaseline is trained and scored through fit and evaluate");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.tasks().size())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        tower.initialize(manager, dataType, inputShapes);
    }

    @Override
    public void close() {
        manager.close();
    }
}
