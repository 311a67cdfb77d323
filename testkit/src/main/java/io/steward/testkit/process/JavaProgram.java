package io.steward.testkit.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.steward.testkit.Await;
import io.steward.testkit.Component;
import io.steward.testkit.Testbed;
import io.steward.testkit.net.Host;

/**
 * A Steward program (an agent, the decider, citus-sync) in a child JVM on the test's own
 * classpath, so a test can kill it with SIGKILL, freeze it, and start it again, as on a real host.
 *
 * <p>Processes it leaves behind on purpose (an agent's PostgreSQL outlives the agent) are found by
 * their command line: {@link #close()} kills every process whose command line names one of the
 * {@code owns} paths. Placed on a test {@link Host} ({@link Builder#on(Host)}) it runs inside that
 * host's network namespace, and so does everything it starts.
 *
 * <p>Not thread-safe.
 */
public final class JavaProgram implements Component {

    private final String name;
    private final String mainClass;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private final String classpath;
    private final List<Path> owned;
    private final String readyLine;
    private final Duration startTimeout;
    private final Host host;
    private final Path directory;
    private final ComponentLog log;
    private ChildProcess process;
    private boolean frozen;

    private JavaProgram(Builder builder, Path directory) {
        this.name = builder.name;
        this.mainClass = builder.mainClass;
        this.arguments = List.copyOf(builder.arguments);
        this.environment = Map.copyOf(builder.environment);
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.classpath = builder.classpath;
        this.owned = List.copyOf(builder.owned);
        this.readyLine = builder.readyLine;
        this.startTimeout = builder.startTimeout;
        this.host = builder.host;
        this.directory = directory;
        this.log = new ComponentLog(directory.resolve(name + ".log"));
    }

    /** Configures a program; {@link #start()} starts it. */
    public static final class Builder {
        private final Testbed testbed;
        private final String name;
        private final Path directory;
        private String mainClass;
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private String classpath;
        private final List<Path> owned = new ArrayList<>();
        private String readyLine;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Host host;

        /**
         * @param directory where the program's log goes; null for a fresh component directory
         */
        public Builder(Testbed testbed, String name, Path directory) {
            this.testbed = testbed;
            this.name = name;
            this.directory = directory;
        }

        public Builder mainClass(String className) {
            this.mainClass = className;
            return this;
        }

        public Builder arguments(String... args) {
            arguments.addAll(List.of(args));
            return this;
        }

        public Builder environment(String variable, String value) {
            environment.put(variable, value);
            return this;
        }

        /** Runs the program from this classpath instead of the tests' own. */
        public Builder classpath(String value) {
            this.classpath = value;
            return this;
        }

        /** A JVM option such as {@code -Dkey=value}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Processes whose command line names {@code path} belong to this program and die with it. */
        public Builder owns(Path path) {
            owned.add(path.toAbsolutePath());
            return this;
        }

        /** {@link #start()} returns once the program's output contains {@code line}. */
        public Builder readyWhenLogged(String line) {
            this.readyLine = line;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Runs the JVM inside {@code host}'s network namespace. */
        public Builder on(Host host) {
            this.host = host;
            return this;
        }

        /** Registers the program with the testbed without starting it. */
        public JavaProgram build() {
            if (mainClass == null) {
                throw new IllegalStateException("mainClass is required");
            }
            Path where = directory != null ? directory : testbed.directoryFor(name);
            return testbed.register(new JavaProgram(this, where));
        }

        public JavaProgram start() {
            JavaProgram program = build();
            program.start();
            return program;
        }
    }

    /**
     * The classpath of the running tests: Surefire and Failsafe run tests from a manifest-only jar
     * and publish the real classpath in {@code surefire.test.class.path}.
     */
    public static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ComponentLog log() {
        return log;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The host it runs on, if it was placed on one. */
    public Optional<Host> host() {
        return Optional.ofNullable(host);
    }

    /** Starts the JVM and waits for its ready line, if one was given. */
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        long mark = log.mark();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms32m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-Djava.io.tmpdir=" + directory));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // protobuf (etcd's client) still uses it
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath != null ? classpath : testClasspath(), mainClass));
        command.addAll(arguments);
        process = ChildProcess.start(command, Host.placed(host, RunAs.CURRENT), directory, environment, log);
        frozen = false;
        if (readyLine != null) {
            try {
                Await.until(name + " to log '" + readyLine + "'", startTimeout, () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n"
                                + log.since(mark));
                    }
                    return log.containsSince(mark, readyLine);
                });
            } catch (AssertionError e) {
                throw new IllegalStateException(name + " did not start; its output:\n" + log.since(mark), e);
            }
        }
        log.announce(name + " started (pid " + process.pid() + (host == null ? "" : ", on " + host) + ")");
    }

    /** SIGTERM and waits for an orderly exit (SIGKILL after {@code timeout}); returns the exit code. */
    public int stop(Duration timeout) {
        if (!isRunning()) {
            return process == null ? 0 : process.exitValue();
        }
        if (frozen) {
            thaw();
        }
        process.signal(Signal.TERM);
        if (!process.waitForExit(timeout)) {
            log.announce(name + " did not stop within " + timeout.toSeconds() + " s; killing it");
            process.kill();
        }
        log.announce(name + " stopped");
        return process.exitValue();
    }

    /** SIGKILL: the program gets no chance to clean up, like a host losing power for the JVM only. */
    public void kill9() {
        if (isRunning()) {
            process.kill();
            log.announce(name + " killed (SIGKILL)");
        }
    }

    /** SIGSTOP: the program keeps its sockets and files but does nothing until {@link #thaw()}. */
    public void freeze() {
        process.signal(Signal.STOP);
        frozen = true;
        log.announce(name + " frozen (SIGSTOP)");
    }

    public void thaw() {
        process.signal(Signal.CONT);
        frozen = false;
        log.announce(name + " thawed (SIGCONT)");
    }

    /** Waits for the program to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) {
        if (!process.waitForExit(timeout)) {
            throw new AssertionError(name + " still runs after " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (isRunning()) {
            if (frozen) {
                thaw();
            }
            process.kill();
        }
        for (Path path : owned) {
            killProcessesNaming(path);
        }
    }

    /** Kills (SIGKILL) every process whose command line contains {@code path}. */
    public static void killProcessesNaming(Path path) {
        try {
            String regex = path.toString().replaceAll("([\\\\.\\[\\]{}()*+?^$|])", "\\\\$1");
            Process pkill = new ProcessBuilder("pkill", "-KILL", "-f", regex).redirectErrorStream(true).start();
            pkill.getInputStream().readAllBytes();
            pkill.waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (" + mainClass + ")";
    }
}
