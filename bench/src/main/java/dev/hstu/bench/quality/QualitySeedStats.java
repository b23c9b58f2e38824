package dev.hstu.bench.quality;

import dev.hstu.model.eval.MetricsReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test metrics of one method trained with several seeds, summarised as mean and sample standard
 * deviation: with a few hundred test users one seed's HR@10 moves by several hits, so a single run
 * cannot tell two close methods apart.
 */
final class QualitySeedStats {

    private final String method;
    private final List<Long> seeds = new ArrayList<>();
    private final List<MetricsReport> tests = new ArrayList<>();

    /** @param method the method's name in the report */
    QualitySeedStats(String method) {
        this.method = method;
    }

    /**
     * @param seed the run's seed
     * @param test its test metrics (epoch selected on validation)
     */
    void add(long seed, MetricsReport test) {
        seeds.add(seed);
        tests.add(test);
    }

    /** @return the method's name */
    String method() {
        return method;
    }

    /** @return runs added */
    int runs() {
        return tests.size();
    }

    /** @return one Markdown table row: method, runs, HR@10 and NDCG@10 as mean ± std, each seed's HR@10 */
    String markdownRow() {
        double[] hr = new double[tests.size()];
        double[] ndcg = new double[tests.size()];
        StringBuilder perSeed = new StringBuilder();
        for (int i = 0; i < tests.size(); i++) {
            hr[i] = tests.get(i).hr10();
            ndcg[i] = tests.get(i).ndcg10();
            perSeed.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%d: %.4f", seeds.get(i), hr[i]));
        }
        return String.format(
                Locale.ROOT,
                "| %s | %d | %.4f ± %.4f | %.4f ± %.4f | %s |%n",
                method,
                tests.size(),
                mean(hr),
                std(hr),
                mean(ndcg),
                std(ndcg),
                perSeed);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Sample standard deviation (n-1); 0 for a single run. */
    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
