package io.steward.agent.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postmaster process: started in the foreground under the {@code steward-fence} watchdog, which
 * is its parent and kills it when the fencing deadline passes; signalled directly to stop; found
 * again through {@code postmaster.pid} when the agent restarts and PostgreSQL is still running.
 *
 * <p>The watchdog outlives the agent (it is not tied to the agent's life), so a replica keeps
 * running across an agent restart, while a primary whose agent died or froze is killed at the
 * deadline, before its lease can expire in etcd.
 */
final class Postmaster {

    private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
    private static final String FENCE_SCRIPT = "steward-fence.sh";

    private final Path dataDir;
    private final Path stateDir;
    private final Path watchdogDir;
    private final PgTools tools;
    private final OsUser user;

    /**
     * @param watchdogDir where the watchdog's deadline and script live ({@link WatchdogDirectory}):
     *                    prepared and checked here, so an unsafe one stops the agent at start
     */
    Postmaster(Path dataDir, Path stateDir, Path watchdogDir, PgTools tools, OsUser user) {
        this.dataDir = dataDir;
        this.stateDir = stateDir;
        this.watchdogDir = WatchdogDirectory.prepare(watchdogDir, user);
        this.tools = tools;
        this.user = user;
    }

    Path deadlineFile() {
        return watchdogDir.resolve("fence.deadline");
    }

    Path logFile() {
        return stateDir.resolve("postgresql.log");
    }

    /** The running postmaster's pid, from postmaster.pid, if that process is alive. */
    Optional<Long> pid() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().command().map(c -> c.endsWith("postgres")).orElse(true))
                    .map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean isRunning() {
        return pid().isPresent();
    }

    /**
     * Starts the postmaster with {@code settings} on its command line; returns once the process
     * exists. The watchdog's deadline is left as the lease set it: armed for a primary started
     * under its lease, 0 otherwise.
     */
    void launch(List<String> settings) {
        if (isRunning()) {
            throw new PostgresException("PostgreSQL is already running in " + dataDir, false);
        }
        List<String> command = new ArrayList<>(List.of("setsid", "bash", fenceScript().toString(),
                deadlineFile().toString()));
        command.addAll(user.prefixDyingWithParent());
        command.add(tools.binary("postgres"));
        command.add("-D");
        command.add(dataDir.toString());
        command.addAll(settings);
        LOG.info("starting PostgreSQL in {} under the fencing watchdog", dataDir);
        try {
            Files.createDirectories(stateDir);
            new ProcessBuilder(command).directory(dataDir.getParent().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    /** Sends {@code signal} to the postmaster and waits until it is gone. */
    void stop(String signal, Duration timeout) {
        Optional<Long> pid = pid();
        if (pid.isEmpty()) {
            return;
        }
        LOG.info("stopping PostgreSQL (SIG{})", signal);
        List<ProcessHandle> backends = ProcessHandle.of(pid.get()).map(h -> h.descendants().toList()).orElse(List.of());
        signal(pid.get(), signal);
        if (!awaitExit(pid.get(), timeout)) {
            LOG.warn("PostgreSQL did not stop within {} s; killing it", timeout.toSeconds());
            signal(pid.get(), "KILL");
            awaitExit(pid.get(), Duration.ofSeconds(10));
        }
        awaitGone(backends, Duration.ofSeconds(10));
    }

    /** Sends {@code signal} to the postmaster (HUP to reload). */
    void signal(String signal) {
        pid().ifPresent(pid -> signal(pid, signal));
    }

    /**
     * Arms the watchdog: it kills the postmaster once /proc/uptime passes {@code uptimeHundredths}.
     * Written atomically, so the watchdog never reads half a number.
     */
    void arm(long uptimeHundredths) {
        writeDeadline(Long.toString(uptimeHundredths));
    }

    /** Disarms the watchdog (a replica, or a primary that released its lease). */
    void disarm() {
        writeDeadline("0");
    }

    private void writeDeadline(String value) {
        try {
            Path temp = watchdogDir.resolve("fence.deadline.tmp");
            Files.writeString(temp, value + "\n", StandardCharsets.UTF_8);
            Files.move(temp, deadlineFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fencing deadline", e);
        }
    }

    /** The fence script, extracted into the watchdog's directory (it must outlive the agent's jar). */
    private Path fenceScript() {
        Path script = watchdogDir.resolve(FENCE_SCRIPT);
        try (InputStream in = Postmaster.class.getResourceAsStream(FENCE_SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(FENCE_SCRIPT + " missing from the agent");
            }
            // a new file renamed into place: a watchdog still running the old script keeps reading
            // its own copy (bash reads a script as it goes)
            Path temp = watchdogDir.resolve(FENCE_SCRIPT + ".tmp");
            Files.deleteIfExists(temp);
            Files.write(temp, in.readAllBytes(), StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(temp, script, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + script, e);
        }
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true)) {
                return true;
            }
            sleep(5); // a switchover waits on this: look often (it is one read of /proc)
        }
        return false;
    }

    /** After the postmaster died, its backends notice and exit; a new postmaster cannot start before. */
    private static void awaitGone(List<ProcessHandle> backends, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle backend : backends) {
            while (backend.isAlive() && System.nanoTime() < deadline) {
                sleep(5);
            }
            if (backend.isAlive()) {
                backend.destroyForcibly();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
