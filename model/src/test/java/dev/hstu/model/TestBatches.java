package dev.hstu.model;

import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import java.util.SplittableRandom;

/** Small configs and batches shared by the model tests. */
public final class TestBatches {

    private TestBatches() {}

    /** @return a tiny valid config: d=16, 2 layers, 2 heads, L <= 20, 50 item rows, no dropout */
    public static HstuConfig tiny() {
        return HstuConfig.builder()
                .itemCapacity(50)
                .embeddingDim(16)
                .numLayers(2)
                .numHeads(2)
                .attentionDim(8)
                .linearDim(8)
                .maxSeqLen(20)
                .dropout(0f)
                .numActions(4)
                .positionBuckets(8)
                .timeBuckets(16)
                .inputDropout(0f)
                .numNegatives(16)
                .inBatchNegatives(16)
                .warmupSteps(10)
                .seed(7)
                .build();
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
