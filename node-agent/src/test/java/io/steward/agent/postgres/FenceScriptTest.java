package io.steward.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fencing watchdog script on its own, watching a {@code sleep} instead of a postmaster: it
 * fails closed. A deadline file that becomes unreadable or garbled keeps the last deadline in
 * force (a primary whose agent stopped renewing is still killed); only a number moves it.
 */
class FenceScriptTest {

    @TempDir
    Path dir;

    private Path deadline;
    private Process watchdog;

    @BeforeEach
    void extractScript() throws IOException {
        deadline = dir.resolve("fence.deadline");
        try (InputStream in = Postmaster.class.getResourceAsStream("steward-fence.sh")) {
            Files.write(dir.resolve("steward-fence.sh"), in.readAllBytes());
        }
    }

    @AfterEach
    void stop() {
        if (watchdog != null) {
            watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
            watchdog.destroyForcibly();
        }
    }

    @Test
    void killsItsChildOnceTheDeadlinePasses() throws Exception {
        write(uptimeHundredths() + 100);
        long started = System.nanoTime();
        start();
        assertThat(watchdog.waitFor(10, TimeUnit.SECONDS)).as("the child killed, the watchdog ended").isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(700L, 3000L);
    }

    @Test
    void aDeadlineOfZeroLeavesAReplicaAlone() throws Exception {
        write(0);
        start();
        assertThat(watchdog.waitFor(1500, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void aGarbledDeadlineKeepsTheOneInForce() throws Exception {
        write(uptimeHundredths() + 150);
        start();
        Thread.sleep(300);
        Files.writeString(deadline, "garbage\n");
        assertThat(watchdog.waitFor(10, TimeUnit.SECONDS)).as("killed at the deadline read before").isTrue();
        assertThat(output()).contains("cannot read a deadline").contains("lease deadline passed");
    }

    @Test
    void aDeadlineFileThatIsGoneKeepsTheOneInForce() throws Exception {
        write(uptimeHundredths() + 150);
        start();
        Thread.sleep(300);
        Files.delete(deadline);
        assertThat(watchdog.waitFor(10, TimeUnit.SECONDS)).as("killed at the deadline read before").isTrue();
    }

    @Test
    void aRenewedDeadlineMovesOnlyWhenItIsANumber() throws Exception {
        write(uptimeHundredths() + 100);
        start();
        for (int i = 0; i < 6; i++) {
            Thread.sleep(300);
            write(uptimeHundredths() + 100);
        }
        assertThat(watchdog.isAlive()).as("renewed in time").isTrue();
        Files.writeString(deadline, "99999999999999999999\n"); // too long to be a deadline: kept as before
        assertThat(watchdog.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private void start() throws IOException {
        watchdog = new ProcessBuilder("bash", dir.resolve("steward-fence.sh").toString(), deadline.toString(),
                "sleep", "60").redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("out.log"));
    }

    private void write(long value) throws IOException {
        Path temp = dir.resolve("fence.deadline.tmp");
        Files.writeString(temp, value + "\n", StandardCharsets.UTF_8);
        Files.move(temp, deadline, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static long uptimeHundredths() throws IOException {
        String up = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
        return Long.parseLong(up.replace(".", ""));
    }
}
