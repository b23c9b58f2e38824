package dev.hstu.bench.gpu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GPU utilisation and memory while a case runs, read from {@code nvidia-smi} every 200 ms in a child process; on a
 * machine without it, no samples (the report says so instead of inventing a figure).
 */
final class GpuSampler implements AutoCloseable {

    private final Process process;
    private final Thread reader;
    private final List<int[]> samples = new ArrayList<>();

    private GpuSampler(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "nvidia-smi-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** @return a running sampler, or one without samples when nvidia-smi cannot be started */
    static GpuSampler start() {
        try {
            return new GpuSampler(new ProcessBuilder(
                            "nvidia-smi",
                            "--query-gpu=utilization.gpu,memory.used",
                            "--format=csv,noheader,nounits",
                            "-lms",
                            "200")
                    .redirectErrorStream(true)
                    .start());
        } catch (IOException e) {
            return new GpuSampler(null);
        }
    }

    private void read() {
        if (process == null) {
            return;
        }
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] parts = line.split(",");
                if (parts.length == 2) {
                    try {
                        int[] sample = {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
                        synchronized (samples) {
                            samples.add(sample);
                        }
                    } catch (NumberFormatException ignored) {
                        // a header or a message line, not a sample
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** @return mean utilisation in percent over the samples, NaN without samples */
    double meanUtilisation() {
        synchronized (samples) {
            return samples.stream().mapToInt(s -> s[0]).average().orElse(Double.NaN);
        }
    }

    /** @return the highest memory in use in MiB, -1 without samples */
    int peakMemoryMib() {
        synchronized (samples) {
            return samples.stream().mapToInt(s -> s[1]).max().orElse(-1);
        }
    }

    /** @return samples taken */
    int count() {
        synchronized (samples) {
            return samples.size();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            reader.join(1000);
        }
    }
}
