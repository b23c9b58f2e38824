package dev.hstu.formats.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The manifest of one published model version, written as {@code manifest.json} inside the version directory
 * and sent on the model-updates topic. A version directory without a manifest, or whose files do not match the
 * checksum, is never loaded.
 *
 * @param path        absolute path of the version directory
 * @param checksum    SHA-256 over the directory's files (names and contents, sorted by name), manifest excluded
 * @param finalVersion the last version of a bounded training input
 * @param sourcePartitions with {@code sourceOffsets}: for a standalone trainer, the next offset to read in each
 *                     partition of the training-batches topic, so a restarted trainer resumes exactly after the
 *                     batches this version contains (null for the in-job trainer, whose position is in the checkpoint)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersion(
        @JsonProperty("version") long version,
        @JsonProperty("step") long step,
        @JsonProperty("path") String path,
        @JsonProperty("created_at") long createdAtMs,
        @JsonProperty("mean_loss") double meanLoss,
        @JsonProperty("trained_targets") long trainedTargets,
        @JsonProperty("items") int items,
        @JsonProperty("final") boolean finalVersion,
        @JsonProperty("checksum") String checksum,
        @JsonProperty("source_partitions") int[] sourcePartitions,
        @JsonProperty("source_offsets") long[] sourceOffsets,
        @JsonProperty("max_event_time") long maxEventTimeMs) {

    public static final String MANIFEST = "manifest.json";

    /** A manifest without a source position (the in-job trainer's position lives in its checkpoint). */
    public ModelVersion(
            long version,
            long step,
            String path,
            long createdAtMs,
            double meanLoss,
            long trainedTargets,
            int items,
            boolean finalVersion,
            String checksum) {
        this(version, step, path, createdAtMs, meanLoss, trainedTargets, items, finalVersion, checksum, null, null, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelVersion v
                && version == v.version
                && step == v.step
                && createdAtMs == v.createdAtMs
                && Double.compare(meanLoss, v.meanLoss) == 0
                && trainedTargets == v.trainedTargets
                && items == v.items
                && finalVersion == v.finalVersion
                && java.util.Objects.equals(path, v.path)
                && java.util.Objects.equals(checksum, v.checksum)
                && java.util.Arrays.equals(sourcePartitions, v.sourcePartitions)
                && java.util.Arrays.equals(sourceOffsets, v.sourceOffsets)
                && maxEventTimeMs == v.maxEventTimeMs;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(version, checksum);
    }
}
