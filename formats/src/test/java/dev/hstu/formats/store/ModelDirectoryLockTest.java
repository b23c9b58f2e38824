package dev.hstu.formats.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRefusedNamingTheFirstAndGetsTheDirectoryOnceItIsReleased() throws Exception {
        ModelDirectoryLock first = ModelDirectoryLock.acquire(dir, "streaming trainer", Duration.ZERO);

        assertThatThrownBy(() -> ModelDirectoryLock.acquire(dir, "hstu train", Duration.ofMillis(300)))
                .isInstanceOf(ModelDirectoryLock.LockedException.class)
                .hasMessageContaining("is being written by another trainer")
                .hasMessageContaining(
                        "streaming trainer, pid " + ProcessHandle.current().pid());

        first.close();
        try (ModelDirectoryLock second = ModelDirectoryLock.acquire(dir, "hstu train", Duration.ZERO)) {
            assertThat(dir.resolve(ModelDirectoryLock.FILE)).content().startsWith("hstu train, pid ");
        }
    }

    @Test
    void aSuccessorWaitsForAWriterThatIsStillClosing() throws Exception {
        ModelDirectoryLock failing = ModelDirectoryLock.acquire(dir, "failed task", Duration.ZERO);
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
                failing.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        try (ModelDirectoryLock restarted = ModelDirectoryLock.acquire(dir, "restarted task", Duration.ofSeconds(10))) {
            assertThat(dir.resolve(ModelDirectoryLock.FILE)).content().startsWith("restarted task");
        }
    }

    /** A real second process holds the lock; killing it with SIGKILL releases it without any clean-up. */
    @Test
    void aWriterInAnotherProcessBlocksUntilItIsKilled() throws Exception {
        Process holder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Holder.class.getName(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> ModelDirectoryLock.acquire(dir, "second trainer", Duration.ofMillis(300)))
                    .isInstanceOf(ModelDirectoryLock.LockedException.class)
                    .hasMessageContaining("other process, pid " + holder.pid());

            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            try (ModelDirectoryLock after = ModelDirectoryLock.acquire(dir, "second trainer", Duration.ofSeconds(10))) {
                assertThat(dir.resolve(ModelDirectoryLock.FILE)).content().startsWith("second trainer");
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    /** The other process: takes the lock, says so, and waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            ModelDirectoryLock lock = ModelDirectoryLock.acquire(Path.of(args[0]), "other process", Duration.ZERO);
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }
}
