package dev.hstu.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** AUC, GAUC, log loss and NE against examples worked out by hand. */
class BinaryMetricsTest {

    @Test
    void aucIsTheShareOfPositiveNegativePairsInOrder() {
        // pairs (positive, negative): 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes -> 3/4
        double auc = BinaryMetrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true});
        assertThat(auc).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aTieCountsOneHalf() {
        // (0.5 vs 0.5) = 1/2, (0.5 vs 0.2) = 1 -> 1.5 / 2
        double auc = BinaryMetrics.auc(new double[] {0.5, 0.5, 0.2}, new boolean[] {true, false, false});
        assertThat(auc).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aucOfOneClassIsUndefined() {
        assertThat(BinaryMetrics.auc(new double[] {0.3, 0.6}, new boolean[] {true, true}))
                .isNaN();
    }

    @Test
    void gaucAveragesTheUsersThatHaveBothClasses() {
        long[] users = {1, 1, 1, 1, 2, 2, 3, 3};
        double[] scores = {0.1, 0.4, 0.35, 0.8, 0.9, 0.2, 0.3, 0.6};
        boolean[] labels = {false, false, true, true, false, true, true, true};
        // user 1: 3/4; user 2: its positive scores below its negative, 0; user 3 has no negative and is left out
        BinaryMetrics.GroupedAuc gauc = BinaryMetrics.gauc(users, scores, labels);
        assertThat(gauc.users()).isEqualTo(2);
        assertThat(gauc.mean()).isCloseTo(0.375, within(1e-12));
        // pooled: positives {0.35, 0.8, 0.2, 0.3, 0.6} against negatives {0.1, 0.4, 0.9}: 1+2+1+1+2 = 7 of 15 pairs
        assertThat(BinaryMetrics.auc(scores, labels)).isCloseTo(7.0 / 15.0, within(1e-12));
    }

    @Test
    void logLossAndNormalisedEntropy() {
        double[] p = {0.9, 0.2};
        boolean[] y = {true, false};
        double logLoss = (-Math.log(0.9) - Math.log(0.8)) / 2; // 0.164252
        assertThat(BinaryMetrics.logLoss(p, y))
                .isCloseTo(0.1642520, within(1e-6))
                .isCloseTo(logLoss, within(1e-12));
        // positive rate 1/2: entropy ln 2
        assertThat(BinaryMetrics.normalizedEntropy(p, y)).isCloseTo(0.1642520 / 0.6931472, within(1e-6));
        // predicting the positive rate for everyone is NE 1
        assertThat(BinaryMetrics.normalizedEntropy(
                        new double[] {0.25, 0.25, 0.25, 0.25}, new boolean[] {true, false, false, false}))
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theReportHoldsEveryMetric() {
        BinaryMetrics.Report report = BinaryMetrics.of(
                new long[] {1, 1, 2, 2}, new double[] {0.2, 0.7, 0.6, 0.4}, new boolean[] {false, true, false, true});
        assertThat(report.count()).isEqualTo(4);
        assertThat(report.positives()).isEqualTo(2);
        // positives {0.7, 0.4} vs negatives {0.2, 0.6}: 2 + 1 = 3 of 4
        assertThat(report.auc()).isCloseTo(0.75, within(1e-12));
        // user 1: 1, user 2: 0
        assertThat(report.gauc()).isCloseTo(0.5, within(1e-12));
        assertThat(report.gaucUsers()).isEqualTo(2);
        assertThat(report.summary()).contains("AUC 0.7500", "GAUC 0.5000 (2 users)");
    }
}
