package dev.hstu.model.eval;

import dev.hstu.model.HstuModel;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.config.RankingLossType;
import dev.hstu.model.config.RankingTaskConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import dev.hstu.model.tasks.ranking.CandidateRows;
import dev.hstu.model.tasks.ranking.RankingLabels;
import dev.hstu.model.tasks.ranking.RankingSamples;
import dev.hstu.model.tasks.ranking.RankingTask;
import java.util.ArrayList;
import java.util.List;

/** Scores held-out ranking samples with a ranking model and reports each task's metrics ({@link BinaryMetrics}). */
public final class RankingEvaluator {

    /**
     * One task's metrics.
     *
     * @param name the task
     * @param type its loss
     * @param binary AUC, GAUC, NE and log loss of a BCE task; null for an MSE task
     * @param mse mean squared error of an MSE task; NaN for a BCE task
     */
    public record TaskResult(String name, RankingLossType type, BinaryMetrics.Report binary, double mse) {

        /** @return one line */
        public String summary() {
            return binary != null ? binary.summary() : String.format("MSE %.4f", mse);
        }
    }

    /**
     * @param tasks per task, in the model's order
     * @param candidates candidates scored
     */
    public record Result(List<TaskResult> tasks, int candidates) {

        /** @return the mean AUC over the BCE tasks whose AUC is defined (NaN without one): the selection metric */
        public double meanAuc() {
            double sum = 0;
            int n = 0;
            for (TaskResult t : tasks) {
                if (t.binary() != null && !Double.isNaN(t.binary().auc())) {
                    sum += t.binary().auc();
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        /** @return one line per task */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            for (TaskResult t : tasks) {
                sb.append(String.format("  %-10s %s%n", t.name(), t.summary()));
            }
            return sb.toString();
        }
    }

    private RankingEvaluator() {}

    /**
     * @param model a ranking model
     * @param users the sequences the windows index
     * @param windows the samples to score
     * @param batchSize samples per encoder pass
     * @return each task's metrics over all candidates of the windows
     * @throws IllegalArgumentException if the model is not a ranking model or there is no window
     */
    public static Result evaluate(
            HstuModel model, UserSequences users, List<RankingSamples.Window> windows, int batchSize) {
        if (!(model.task() instanceof RankingTask task)) {
            throw new IllegalArgumentException("ranking evaluation needs a ranking model (model.ranking)");
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no ranking samples to evaluate");
        }
        RankingConfig config = task.config();
        int tasks = config.tasks().size();
        List<Long> userIds = new ArrayList<>();
        List<float[]> predictions = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        for (int from = 0; from < windows.size(); from += batchSize) {
            List<RankingSamples.Window> chunk = windows.subList(from, Math.min(windows.size(), from + batchSize));
            PackedBatch batch = RankingSamples.batch(users, chunk);
            CandidateRows candidates = CandidateRows.of(batch, batch.maxLength());
            predictions.add(task.predict(model, batch));
            labels.add(RankingLabels.of(config, batch, candidates));
            for (int s : candidates.sequences()) {
                userIds.add(users.userIds()[chunk.get(s).user()]);
            }
        }
        int n = userIds.size();
        long[] ids = userIds.stream().mapToLong(Long::longValue).toArray();
        List<TaskResult> results = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            double[] p = new double[n];
            double[] y = new double[n];
            int c = 0;
            for (int chunk = 0; chunk < predictions.size(); chunk++) {
                float[] pred = predictions.get(chunk);
                float[] lab = labels.get(chunk);
                for (int i = t; i < pred.length; i += tasks) {
                    p[c] = pred[i];
                    y[c] = lab[i];
                    c++;
                }
            }
            RankingTaskConfig taskConfig = config.tasks().get(t);
            if (taskConfig.type() == RankingLossType.BCE) {
                boolean[] positive = new boolean[n];
                for (int i = 0; i < n; i++) {
                    positive[i] = y[i] > 0.5;
                }
                results.add(new TaskResult(
                        taskConfig.name(), taskConfig.type(), BinaryMetrics.of(ids, p, positive), Double.NaN));
            } else {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += (p[i] - y[i]) * (p[i] - y[i]);
                }
                results.add(new TaskResult(taskConfig.name(), taskConfig.type(), null, sum / n));
            }
        }
        return new Result(results, n);
    }
}
