package io.steward.testkit.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.steward.testkit.Timing;

/**
 * A program the test kit started: a server (postgres, etcd, a broker JVM) or a one-shot tool.
 *
 * <p>Cleanup does not depend on the test ending well. Every child is started with a parent-death
 * signal, so the kernel kills it when the JVM dies, even by SIGKILL; a shutdown hook kills the
 * children that are still alive when the JVM exits normally. Children are started from one
 * long-lived thread because Linux delivers the parent-death signal when the <em>thread</em> that
 * forked the child ends, not the process.
 *
 * <p>Thread-safe.
 */
public final class ChildProcess {

    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "testkit-process-launcher");
        thread.setDaemon(true);
        return thread;
    });
    private static final Set<ChildProcess> ALIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ChildProcess child : ALIVE) {
                child.process.destroyForcibly();
            }
        }, "testkit-process-reaper"));
    }

    private final String description;
    private final Process process;

    private ChildProcess(String description, Process process) {
        this.description = description;
        this.process = process;
    }

    /**
     * Starts {@code command} as {@code runAs}, with output appended to {@code log}.
     *
     * @param workingDirectory must be readable by {@code runAs}
     * @param environment      extra environment variables
     */
    public static ChildProcess start(List<String> command, RunAs runAs, Path workingDirectory,
                                     Map<String, String> environment, ComponentLog log) {
        List<String> full = new ArrayList<>(runAs.prefix());
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        log.note("$ " + String.join(" ", command) + (runAs.switchesUser() ? "   (as " + runAs.user() + ")" : "")
                + (runAs.namespace() == null ? "" : "   (in network namespace " + runAs.namespace() + ")"));
        Future<Process> started = LAUNCHER.submit(builder::start);
        Process process;
        try {
            process = started.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UncheckedIOException("cannot start " + command.get(0),
                    cause instanceof IOException io ? io : new IOException(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + command.get(0), e);
        }
        ChildProcess child = new ChildProcess(command.get(0), process);
        ALIVE.add(child);
        process.onExit().thenRun(() -> ALIVE.remove(child));
        return child;
    }

    /**
     * Runs a one-shot tool to completion and returns its exit code.
     *
     * @throws IllegalStateException if it does not finish within {@code timeout} (scaled)
     */
    public static int run(List<String> command, RunAs runAs, Path workingDirectory,
                          Map<String, String> environment, ComponentLog log, Duration timeout) {
        ChildProcess child = start(command, runAs, workingDirectory, environment, log);
        if (!child.waitForExit(timeout)) {
            child.signal(Signal.KILL);
            throw new IllegalStateException(command.get(0) + " did not finish within "
                    + Timing.scaled(timeout).toSeconds() + " s; its output:\n" + log.tail(40));
        }
        int code = child.process.exitValue();
        log.note(command.get(0) + " exited with " + code);
        return code;
    }

    /** Like {@link #run} but fails with the tool's output when the exit code is not 0. */
    public static void runChecked(List<String> command, RunAs runAs, Path workingDirectory,
                                  Map<String, String> environment, ComponentLog log, Duration timeout) {
        long mark = log.mark();
        int code = run(command, runAs, workingDirectory, environment, log, timeout);
        if (code != 0) {
            throw new IllegalStateException(command.get(0) + " failed with exit code " + code + ":\n"
                    + log.since(mark));
        }
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only valid once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** The processes this one has started and that are still alive. */
    public List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /** Sends {@code signal}; a process that has already ended is left alone. */
    public void signal(Signal signal) {
        sendSignal(pid(), signal);
    }

    /** Sends {@code signal} to any process id (for instance a postmaster's children). */
    public static void sendSignal(long pid, Signal signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal.name(), Long.toString(pid))
                    .redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + signal + " to " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits up to {@code timeout} (scaled) for the process to end; returns whether it did. */
    public boolean waitForExit(Duration timeout) {
        try {
            process.onExit().get(Timing.scaled(timeout).toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + description, e);
        }
    }

    /** SIGKILL, then waits for the process to end. */
    public void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
    }

    @Override
    public String toString() {
        return description + " (pid " + process.pid() + ")";
    }
}
