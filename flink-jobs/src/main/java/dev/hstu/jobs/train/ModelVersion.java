package dev.hstu.jobs.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The manifest of one published model version, written as {@code manifest.json} inside the version directory
 * and sent on the model-updates topic. A version directory without a manifest, or whose files do not match the
 * checksum, is never loaded.
 *
 * @param path        absolute path of the version directory
 * @param checksum    SHA-256 over the directory's files (names and contents, sorted by name), manifest excluded
 * @param finalVersion the last version of a bounded training input
 */
public record ModelVersion(
        @JsonProperty("version") long version,
        @JsonProperty("step") long step,
        @JsonProperty("path") String path,
        @JsonProperty("created_at") long createdAtMs,
        @JsonProperty("mean_loss") double meanLoss,
        @JsonProperty("trained_targets") long trainedTargets,
        @JsonProperty("items") int items,
        @JsonProperty("final") boolean finalVersion,
        @JsonProperty("checksum") String checksum) {

    public static final String MANIFEST = "manifest.json";
}
