package dev.hstu.formats.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir
    Path root;

    private static ModelStore.ManifestFields fields() {
        return new ModelStore.ManifestFields(10, 1.5, 100, 7, false);
    }

    private static ModelStore.ManifestFields write(Path dir, String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields();
    }

    @Test
    void publishesACompleteVersionThatVerifies() throws IOException {
        ModelStore store = new ModelStore(root);
        ModelVersion v = store.publish(1, dir -> write(dir, "weights", "abc"));

        assertThat(Path.of(v.path())).isEqualTo(root.resolve("v-00000001"));
        assertThat(ModelStore.verify(Path.of(v.path()))).isEqualTo(v);
        assertThat(store.latestVersion()).hasValue(1);
        assertThat(store.nextVersion()).isEqualTo(2);
        assertThat(ModelStore.resolve(root)).isEqualTo(root.resolve("v-00000001"));
        assertThat(v.step()).isEqualTo(10);
        assertThat(v.items()).isEqualTo(7);
    }

    @Test
    void aWriterThatDiesLeavesNoVersionBehind() {
        ModelStore store = new ModelStore(root);
        assertThatThrownBy(() -> store.publish(1, dir -> {
                    write(dir, "weights", "half");
                    throw new IllegalStateException("killed mid-write");
                }))
                .hasMessage("killed mid-write");
        assertThatThrownBy(() -> store.publish(1, dir -> {
                    write(dir, "weights", "half");
                    throw new IOException("disk full");
                }))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("disk full");

        assertThat(store.latestVersion()).isEmpty();
        assertThat(root.toFile().list()).isEmpty();
    }

    @Test
    void anExistingVersionIsNotOverwritten() {
        ModelStore store = new ModelStore(root);
        store.publish(1, dir -> write(dir, "weights", "abc"));
        assertThatThrownBy(() -> store.publish(1, dir -> write(dir, "weights", "new")))
                .hasMessageContaining("model version 1 already exists");
        assertThat(root.toFile().list()).containsExactly("v-00000001");
    }

    @Test
    void aChangedFileFailsVerification() throws IOException {
        ModelVersion v = new ModelStore(root).publish(3, dir -> write(dir, "weights", "abc"));
        Files.writeString(Path.of(v.path()).resolve("weights"), "abd");

        assertThatThrownBy(() -> ModelStore.verify(Path.of(v.path()))).hasMessageContaining("fails its checksum");
        assertThatThrownBy(() -> ModelStore.resolve(root)).hasMessageContaining("fails its checksum");
    }

    @Test
    void aDirectoryWithoutManifestIsNotAVersion() throws IOException {
        Path partial = Files.createDirectories(root.resolve("v-00000009.tmp-123"));
        write(partial, "weights", "x");

        assertThat(new ModelStore(root).latestVersion()).isEmpty();
        assertThatThrownBy(() -> ModelStore.verify(partial)).hasMessageContaining("manifest missing");
        assertThatThrownBy(() -> ModelStore.resolve(root)).hasMessageContaining("nor a store of versions");
    }

    @Test
    void pruneKeepsTheNewestAndRemovesLeftovers() throws IOException {
        ModelStore store = new ModelStore(root);
        for (long v = 1; v <= 4; v++) {
            store.publish(v, dir -> write(dir, "w", "x"));
        }
        Files.createDirectories(root.resolve("v-00000005.tmp-dead"));

        store.prune(2);

        assertThat(root.toFile().list()).containsExactlyInAnyOrder("v-00000003", "v-00000004");
    }

    @Test
    void versionsOfTheOldOfflineLayoutStillResolveWithoutAManifest() throws IOException {
        Path v1 = Files.createDirectories(root.resolve("v-00000001"));
        write(v1, ModelFiles.CONFIG, "{}");
        write(v1, ModelFiles.VOCABULARY, "");
        Path v2 = Files.createDirectories(root.resolve("v-00000002"));
        write(v2, ModelFiles.CONFIG, "{}");
        write(v2, ModelFiles.VOCABULARY, "");
        Files.createDirectories(root.resolve(".v-00000003.tmp"));

        assertThat(ModelStore.resolve(root)).isEqualTo(v2);
        assertThat(ModelStore.resolve(v1)).isEqualTo(v1);
        assertThat(new ModelStore(root).nextVersion()).isEqualTo(3);
        assertThatThrownBy(() -> ModelStore.verify(v2)).hasMessageContaining("manifest missing");
    }

    @Test
    void theVocabularyIsFoundUnderItsNameOrTheOldStreamingName() throws IOException {
        Path now = Files.createDirectories(root.resolve("now"));
        write(now, ModelFiles.VOCABULARY, "");
        Path old = Files.createDirectories(root.resolve("old"));
        write(old, "items.u64bin", "");
        Path none = Files.createDirectories(root.resolve("none"));

        assertThat(ModelFiles.vocabulary(now)).isEqualTo(now.resolve("item_vocabulary.u64bin"));
        assertThat(ModelFiles.vocabulary(old)).isEqualTo(old.resolve("items.u64bin"));
        assertThatThrownBy(() -> ModelFiles.vocabulary(none))
                .hasMessageContaining("has no item vocabulary (item_vocabulary.u64bin or items.u64bin)");
    }
}
