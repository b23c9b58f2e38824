package dev.hstu.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionDirectoryTest {

    @TempDir
    Path root;

    private static VersionDirectory.ManifestFields fields() {
        return new VersionDirectory.ManifestFields(10, 1.5, 100, 7, false);
    }

    private static void write(Path dir, String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void publishesACompleteVersionThatVerifies() {
        VersionDirectory versions = new VersionDirectory(root);
        ModelVersion v = versions.publish(1, dir -> write(dir, "weights", "abc"), fields());

        assertThat(Path.of(v.path())).isEqualTo(root.resolve("v-00000001"));
        assertThat(VersionDirectory.verify(Path.of(v.path()))).isEqualTo(v);
        assertThat(versions.latestVersion()).hasValue(1);
    }

    @Test
    void aWriterThatDiesLeavesNoVersionBehind() {
        VersionDirectory versions = new VersionDirectory(root);
        assertThatThrownBy(() -> versions.publish(
                        1,
                        dir -> {
                            write(dir, "weights", "half");
                            throw new IllegalStateException("killed mid-write");
                        },
                        fields()))
                .hasMessage("killed mid-write");

        assertThat(versions.latestVersion()).isEmpty();
        assertThat(root.toFile().list()).isEmpty();
    }

    @Test
    void aChangedFileFailsVerification() throws IOException {
        ModelVersion v = new VersionDirectory(root).publish(3, dir -> write(dir, "weights", "abc"), fields());
        Files.writeString(Path.of(v.path()).resolve("weights"), "abd");

        assertThatThrownBy(() -> VersionDirectory.verify(Path.of(v.path()))).hasMessageContaining("fails its checksum");
    }

    @Test
    void aDirectoryWithoutManifestIsNotAVersion() throws IOException {
        Path partial = Files.createDirectories(root.resolve("v-00000009.tmp-123"));
        write(partial, "weights", "x");

        assertThat(new VersionDirectory(root).latestVersion()).isEmpty();
        assertThatThrownBy(() -> VersionDirectory.verify(partial)).hasMessageContaining("manifest missing");
    }

    @Test
    void pruneKeepsTheNewestAndRemovesLeftovers() throws IOException {
        VersionDirectory versions = new VersionDirectory(root);
        for (long v = 1; v <= 4; v++) {
            versions.publish(v, dir -> write(dir, "w", "x"), fields());
        }
        Files.createDirectories(root.resolve("v-00000005.tmp-dead"));

        versions.prune(2);

        assertThat(root.toFile().list()).containsExactlyInAnyOrder("v-00000003", "v-00000004");
    }
}
