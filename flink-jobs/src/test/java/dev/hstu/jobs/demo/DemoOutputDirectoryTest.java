package dev.hstu.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoOutputDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aNewOrEmptyOrDemoMadeDirectoryIsEmptiedAndMarked() throws Exception {
        Path fresh = dir.resolve("out");
        DemoOutputDirectory.recreate(fresh);
        assertThat(fresh.resolve(DemoOutputDirectory.MARKER)).exists();

        Files.createDirectories(fresh.resolve("models/v-00000001"));
        Files.writeString(fresh.resolve("models/v-00000001/params"), "x");
        DemoOutputDirectory.recreate(fresh);
        assertThat(fresh.resolve("models")).doesNotExist();
        assertThat(fresh.resolve(DemoOutputDirectory.MARKER)).exists();

        Path older = dir.resolve("older");
        Files.createDirectories(older);
        Files.writeString(older.resolve(DemoOutputDirectory.SUMMARY), "{}");
        Files.writeString(older.resolve("recommendations.jsonl"), "{}");
        DemoOutputDirectory.recreate(older);
        assertThat(older.resolve("recommendations.jsonl")).doesNotExist();

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        DemoOutputDirectory.recreate(empty);
        assertThat(empty.resolve(DemoOutputDirectory.MARKER)).exists();
    }

    @Test
    void aDirectoryTheDemoDidNotMakeIsRefusedAndKept() throws Exception {
        Path work = dir.resolve("work");
        Files.createDirectories(work.resolve("src"));
        Files.writeString(work.resolve("pom.xml"), "<project/>");
        assertThatThrownBy(() -> DemoOutputDirectory.recreate(work))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was not made by hstu demo");
        assertThat(work.resolve("pom.xml")).exists();
        assertThat(work.resolve("src")).exists();

        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> DemoOutputDirectory.recreate(file)).hasMessageContaining("is a file");
        assertThat(file).exists();
    }
}
