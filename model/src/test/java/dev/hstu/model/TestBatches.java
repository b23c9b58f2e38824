package dev.hstu.model;

import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import java.util.SplittableRandom;

/** Small configs and batches shared by the model tests. */
public final class TestBatches {

    private TestBatches() {}

    /** @return a tiny valid config: d=16, 2 layers, 2 heads, L <= 20, 50 item rows, no dropout */
    public static HstuConfig tiny() {
        return HstuConfig.defaults()
                .with("items.capacity", 50)
                .with("encoder.embeddingDim", 16)
                .with("stu.numLayers", 2)
                .with("stu.numHeads", 2)
                .with("stu.attentionDim", 8)
                .with("stu.linearDim", 8)
                .with("encoder.maxSeqLen", 20)
                .with("stu.dropout", 0f)
                .with("features.actions.numActions", 4)
                .with("stu.positionBuckets", 8)
                .with("stu.timeBuckets", 16)
                .with("features.inputDropout", 0f)
                .with("task.numNegatives", 16)
                .with("task.inBatchNegatives", 16)
                .with("optimizer.warmupSteps", 10)
                .with("runtime.seed", 7)
                .validate();
    }

    /**
     * @param random generator
     * @param lengths length of each sequence
     * @param itemRows items are drawn from {@code [2, itemRows)}
     * @return random sequences with increasing timestamps, all positions targets
     */
    public static PackedBatch random(SplittableRandom random, int[] lengths, int itemRows) {
        PackedBatch.Builder builder = PackedBatch.builder();
        for (int len : lengths) {
            long ts = 1_600_000_000L + random.nextInt(1_000_000);
            for (int p = 0; p < len; p++) {
                ts += random.nextInt(100_000);
                builder.addEvent(2 + random.nextInt(itemRows - 2), random.nextInt(4), ts);
            }
            builder.endSequence(0);
        }
        return builder.build();
    }

    /**
     * @param items items
     * @param actions actions
     * @param timestamps timestamps
     * @return one sequence
     */
    public static PackedBatch single(int[] items, int[] actions, long[] timestamps) {
        return PackedBatch.builder()
                .addSequence(items, actions, timestamps, 0, items.length, 0)
                .build();
    }
}
