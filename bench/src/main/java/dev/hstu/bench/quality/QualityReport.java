package dev.hstu.bench.quality;

import dev.hstu.bench.BenchReport;
import dev.hstu.bench.LineChart;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.eval.MetricsReport;
import dev.hstu.model.train.EpochTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The quality benchmark's results file: per method every run's test metrics and their mean ± std, most-popular, the
 * validation NDCG@10 of every epoch of every run as a table and as a chart beside the file, and the config.
 *
 * @param name the dataset's name in the file names
 * @param header the results file's header, taken when the run started ({@link #header})
 * @param data what was read and how much of it
 * @param training the schedule every run followed
 * @param stepsPerEpoch training steps per epoch
 * @param base the config of the first method's first run
 * @param methods each trained method's runs
 * @param popular most-popular's test metrics
 * @param wallSeconds the whole run's wall time
 */
record QualityReport(
        String name,
        String header,
        String data,
        QualityTraining training,
        int stepsPerEpoch,
        HstuConfig base,
        List<QualitySeedStats> methods,
        MetricsReport popular,
        double wallSeconds) {

    /**
     * @param name the dataset's name
     * @param command the command that runs
     * @return the header of a results file, with the date, machine and load at the start of the run
     */
    static String header(String name, String command) {
        return BenchReport.header("Quality: HSTU vs Transformer vs most-popular on " + name, command);
    }

    /** @return the chart's file name beside {@code quality-NAME.md} */
    String chartName() {
        return "quality-" + name + "-validation.png";
    }

    /**
     * Writes the results file, its JSON twin and the chart beside it.
     *
     * @param results the results file
     * @throws IOException when one cannot be written
     */
    void write(Path results) throws IOException {
        Files.createDirectories(results.toAbsolutePath().getParent());
        Path chart = results.resolveSibling(chartName());
        LineChart.curves(
                chart,
                "Validation NDCG@10 per epoch on " + name,
                "epoch",
                "validation NDCG@10 (full ranking)",
                curves());
        System.out.println("wrote " + chart);
        BenchReport.write(results, markdown());
    }

    List<LineChart.Series> curves() {
        List<LineChart.Series> series = new ArrayList<>();
        for (QualitySeedStats m : methods) {
            for (QualitySeedStats.Run r : m.runs()) {
                List<EpochTrainer.EpochResult> epochs = r.outcome().epochs();
                double[] x = new double[epochs.size()];
                double[] y = new double[epochs.size()];
                for (int e = 0; e < epochs.size(); e++) {
                    x[e] = epochs.get(e).epoch();
                    y[e] = epochs.get(e).validation().ndcg10();
                }
                series.add(new LineChart.Series(m.method() + " seed " + r.seed(), x, y));
            }
        }
        return series;
    }

    String markdown() {
        StringBuilder md = new StringBuilder(header);
        md.append(String.format(Locale.ROOT, "- wall time: %.1f s (all methods and seeds)%n", wallSeconds));
        md.append(BenchReport.loadAtEnd()).append('\n');
        md.append("Data: ").append(data).append("\n\n");
        md.append("Protocol: leave-one-out by time (per user: last interaction = test target, the one before ="
                + " validation target, the rest = training). Each target is ranked against ALL items (full ranking, no"
                + " sampled candidates); items already in the user's history are excluded from the candidates for"
                + " every method (the target itself is never excluded); ties are broken against the target (by item"
                + " row). Each run's epoch with the best validation NDCG@10 is selected and its test metrics are"
                + " reported, once. Most-popular counts items in the training parts.\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Training: %d max epochs, batch %d sequences (%d steps/epoch), patience %d, warm-up then cosine decay"
                        + " to the last step; %s. Seeds %s (initialisation, dropout, negatives and batch order).%n%n",
                training.epochs(),
                training.batchSize(),
                stepsPerEpoch,
                training.patience(),
                training.windowStride() == 0
                        ? "each user's most recent max-seq-len training events"
                        : "each user's whole training history in windows ending " + training.windowStride()
                                + " events apart",
                seeds()));
        md.append("## Test metrics, mean ± std over seeds\n\n");
        md.append(
                "Mean ± sample standard deviation over the runs (± 0 for one run); most-popular is deterministic.\n\n");
        md.append("| method | runs |");
        QualitySeedStats.METRICS.forEach(m -> md.append(' ').append(m.name()).append(" |"));
        md.append("\n| --- | --- |")
                .append(" --- |".repeat(QualitySeedStats.METRICS.size()))
                .append('\n');
        methods.forEach(m -> md.append(m.meanRow()));
        md.append("| most-popular | 1 |");
        QualitySeedStats.METRICS.forEach(
                m -> md.append(String.format(Locale.ROOT, " %.4f |", m.value().applyAsDouble(popular))));
        md.append("\n\n## Test metrics per seed\n\n");
        md.append("| method | seed | best epoch / run |");
        QualitySeedStats.METRICS.forEach(m -> md.append(' ').append(m.name()).append(" |"));
        md.append(" train s | samples/s |\n| --- | --- | --- |")
                .append(" --- |".repeat(QualitySeedStats.METRICS.size()))
                .append(" --- | --- |\n");
        methods.forEach(m -> md.append(m.perSeedRows()));
        md.append("\nsamples/s = next-item training targets (positions) per second of training steps; train s excludes"
                + " evaluation.\n\n");
        validationTable(md);
        md.append("\n## Config (HSTU; the Transformer differs only in `encoder` and the seed)\n\n```json\n")
                .append(base.toJson())
                .append("\n```\n");
        return md.toString();
    }

    private void validationTable(StringBuilder md) {
        md.append("## Validation NDCG@10 per epoch\n\n");
        md.append("![validation NDCG@10 per epoch and run](")
                .append(chartName())
                .append(")\n\n");
        md.append("The loss is the mean training loss of the epoch (each method's first seed).\n\n| epoch |");
        List<QualitySeedStats.Run> runs = new ArrayList<>();
        for (QualitySeedStats m : methods) {
            for (int i = 0; i < m.runs().size(); i++) {
                QualitySeedStats.Run r = m.runs().get(i);
                if (i == 0) {
                    md.append(' ')
                            .append(m.method())
                            .append(" seed ")
                            .append(r.seed())
                            .append(" loss |");
                }
                md.append(' ')
                        .append(m.method())
                        .append(" seed ")
                        .append(r.seed())
                        .append(" val NDCG@10 |");
                runs.add(r);
            }
        }
        int columns = runs.size() + methods.size();
        md.append("\n| --- |").append(" --- |".repeat(columns)).append('\n');
        int maxEpochs =
                runs.stream().mapToInt(r -> r.outcome().epochs().size()).max().orElse(0);
        for (int e = 0; e < maxEpochs; e++) {
            md.append("| ").append(e + 1).append(" |");
            for (QualitySeedStats m : methods) {
                for (int i = 0; i < m.runs().size(); i++) {
                    List<EpochTrainer.EpochResult> epochs =
                            m.runs().get(i).outcome().epochs();
                    EpochTrainer.EpochResult er = e < epochs.size() ? epochs.get(e) : null;
                    if (i == 0) {
                        md.append(er == null ? " |" : String.format(Locale.ROOT, " %.3f |", er.meanLoss()));
                    }
                    md.append(
                            er == null
                                    ? " |"
                                    : String.format(
                                            Locale.ROOT,
                                            " %.4f |",
                                            er.validation().ndcg10()));
                }
            }
            md.append('\n');
        }
    }

    private String seeds() {
        if (methods.isEmpty() || methods.get(0).runs().isEmpty()) {
            return "none";
        }
        List<QualitySeedStats.Run> runs = methods.get(0).runs();
        long first = runs.get(0).seed();
        long last = runs.get(runs.size() - 1).seed();
        return first == last ? Long.toString(first) : first + ".." + last;
    }
}
