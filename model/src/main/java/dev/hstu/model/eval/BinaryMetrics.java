package dev.hstu.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a binary prediction task, as the ranking literature uses them: AUC, GAUC (AUC per user, averaged
 * over the users that have both a positive and a negative), log loss and normalised entropy (log loss divided by the
 * entropy of the positive rate, so 1 is no better than predicting that rate for everyone; lower is better).
 */
public final class BinaryMetrics {

    /** Probabilities are clipped to {@code [EPS, 1-EPS]} before a logarithm. */
    static final double EPS = 1e-7;

    private BinaryMetrics() {}

    /**
     * The metrics of one task over a set of predictions.
     *
     * @param count predictions
     * @param positives predictions whose label is 1
     * @param auc AUC over all predictions; NaN unless both classes occur
     * @param gauc mean per-user AUC over {@code gaucUsers}; NaN when there is none
     * @param gaucUsers users with both classes
     * @param logLoss mean binary cross-entropy
     * @param normalizedEntropy log loss over the entropy of the positive rate; NaN unless both classes occur
     */
    public record Report(
            int count,
            int positives,
            double auc,
            double gauc,
            int gaucUsers,
            double logLoss,
            double normalizedEntropy) {

        /** @return one line: AUC, GAUC, NE, log loss */
        public String summary() {
            return String.format(
                    "AUC %.4f  GAUC %.4f (%d users)  NE %.4f  logloss %.4f  (%d of %d positive)",
                    auc, gauc, gaucUsers, normalizedEntropy, logLoss, positives, count);
        }
    }

    /**
     * @param users per prediction, its user (for GAUC)
     * @param probabilities per prediction, the probability of a positive
     * @param labels per prediction, whether it is positive
     * @return every metric
     */
    public static Report of(long[] users, double[] probabilities, boolean[] labels) {
        int positives = 0;
        for (boolean label : labels) {
            positives += label ? 1 : 0;
        }
        GroupedAuc grouped = gauc(users, probabilities, labels);
        return new Report(
                labels.length,
                positives,
                auc(probabilities, labels),
                grouped.mean(),
                grouped.users(),
                logLoss(probabilities, labels),
                normalizedEntropy(probabilities, labels));
    }

    /**
     * The probability that a random positive scores above a random negative, ties counting one half (the
     * Mann-Whitney statistic over tie-averaged ranks).
     *
     * @param scores per prediction, higher = more likely positive
     * @param labels per prediction
     * @return the AUC, NaN unless both classes occur
     */
    public static double auc(double[] scores, boolean[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRanks = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            // ranks i+1..j+1 share their mean
            double rank = (i + j + 2) / 2.0;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    positiveRanks += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * The per-user AUCs and their mean.
     *
     * @param users per prediction, its user
     * @param mean the unweighted mean AUC of the users with both classes; NaN when there is none
     * @param users how many such users there are
     */
    public record GroupedAuc(double mean, int users) {}

    /**
     * @param users per prediction, its user
     * @param scores per prediction
     * @param labels per prediction
     * @return the mean AUC over users that have both classes
     */
    public static GroupedAuc gauc(long[] users, double[] scores, boolean[] labels) {
        Map<Long, List<Integer>> byUser = new HashMap<>();
        for (int i = 0; i < users.length; i++) {
            byUser.computeIfAbsent(users[i], u -> new ArrayList<>()).add(i);
        }
        double sum = 0;
        int counted = 0;
        for (List<Integer> rows : byUser.values()) {
            double[] s = new double[rows.size()];
            boolean[] l = new boolean[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                s[k] = scores[rows.get(k)];
                l[k] = labels[rows.get(k)];
            }
            double auc = auc(s, l);
            if (!Double.isNaN(auc)) {
                sum += auc;
                counted++;
            }
        }
        return new GroupedAuc(counted == 0 ? Double.NaN : sum / counted, counted);
    }

    /**
     * @param probabilities per prediction, clipped to {@code [1e-7, 1-1e-7]}
     * @param labels per prediction
     * @return the mean binary cross-entropy (natural log), NaN without predictions
     */
    public static double logLoss(double[] probabilities, boolean[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = Math.min(1 - EPS, Math.max(EPS, probabilities[i]));
            sum -= labels[i] ? Math.log(p) : Math.log(1 - p);
        }
        return labels.length == 0 ? Double.NaN : sum / labels.length;
    }

    /**
     * @param probabilities per prediction
     * @param labels per prediction
     * @return log loss over the entropy of the positive rate; NaN unless both classes occur
     */
    public static double normalizedEntropy(double[] probabilities, boolean[] labels) {
        int positives = 0;
        for (boolean label : labels) {
            positives += label ? 1 : 0;
        }
        if (positives == 0 || positives == labels.length) {
            return Double.NaN;
        }
        double rate = (double) positives / labels.length;
        double entropy = -(rate * Math.log(rate) + (1 - rate) * Math.log(1 - rate));
        return logLoss(probabilities, labels) / entropy;
    }
}
