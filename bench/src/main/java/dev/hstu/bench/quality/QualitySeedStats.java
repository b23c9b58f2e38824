package dev.hstu.bench.quality;

import dev.hstu.model.eval.MetricsReport;
import dev.hstu.model.train.EpochTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One method trained with several seeds: each run's test metrics (at its epoch chosen on validation) and their mean
 * and sample standard deviation. With a few hundred test users one seed's HR@10 moves by several hits, so a single
 * run cannot tell two close methods apart.
 */
final class QualitySeedStats {

    /**
     * A test metric the report lists.
     *
     * @param name its column
     * @param value its value in a report
     */
    record Metric(String name, ToDoubleFunction<MetricsReport> value) {}

    /** Every metric, in the order of the report's columns. */
    static final List<Metric> METRICS = List.of(
            new Metric("HR@10", MetricsReport::hr10),
            new Metric("NDCG@10", MetricsReport::ndcg10),
            new Metric("HR@50", MetricsReport::hr50),
            new Metric("NDCG@50", MetricsReport::ndcg50),
            new Metric("MRR", MetricsReport::mrr));

    /**
     * One training run.
     *
     * @param seed its seed
     * @param outcome its epochs and the one chosen on validation
     */
    record Run(long seed, EpochTrainer.Outcome outcome) {
        /** @return the test metrics of the epoch chosen on validation */
        MetricsReport test() {
            return outcome.best().test();
        }
    }

    private final String method;
    private final List<Run> runs = new ArrayList<>();

    /** @param method the method's name in the report */
    QualitySeedStats(String method) {
        this.method = method;
    }

    /**
     * @param seed the run's seed
     * @param outcome its outcome
     */
    void add(long seed, EpochTrainer.Outcome outcome) {
        runs.add(new Run(seed, outcome));
    }

    /** @return the method's name */
    String method() {
        return method;
    }

    /** @return the runs, in the order added */
    List<Run> runs() {
        return runs;
    }

    /** @return the mean over the runs of one metric */
    double mean(Metric metric) {
        return mean(values(metric));
    }

    /** @return the sample standard deviation over the runs of one metric, 0 for one run */
    double std(Metric metric) {
        return std(values(metric));
    }

    /** @return one Markdown row: method, runs, and every metric as {@code mean ± std} */
    String meanRow() {
        StringBuilder row = new StringBuilder("| ")
                .append(method)
                .append(" | ")
                .append(runs.size())
                .append(" |");
        for (Metric m : METRICS) {
            row.append(String.format(Locale.ROOT, " %.4f ± %.4f |", mean(m), std(m)));
        }
        return row.append('\n').toString();
    }

    /** @return one Markdown row per run: method, seed, chosen epoch of all, every metric, training seconds */
    String perSeedRows() {
        StringBuilder rows = new StringBuilder();
        for (Run r : runs) {
            rows.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d / %d |",
                    method,
                    r.seed(),
                    r.outcome().best().epoch(),
                    r.outcome().epochs().size()));
            for (Metric m : METRICS) {
                rows.append(String.format(Locale.ROOT, " %.4f |", m.value().applyAsDouble(r.test())));
            }
            rows.append(String.format(
                    Locale.ROOT,
                    " %.1f | %.0f |%n",
                    r.outcome().trainSeconds(),
                    r.outcome().targetsPerSecond()));
        }
        return rows.toString();
    }

    private double[] values(Metric metric) {
        return runs.stream()
                .mapToDouble(r -> metric.value().applyAsDouble(r.test()))
                .toArray();
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
