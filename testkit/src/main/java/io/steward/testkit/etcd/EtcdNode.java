package io.steward.testkit.etcd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.steward.testkit.Await;
import io.steward.testkit.Component;
import io.steward.testkit.Ports;
import io.steward.testkit.Testbed;
import io.steward.testkit.net.Host;
import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.ComponentLog;
import io.steward.testkit.process.RunAs;
import io.steward.testkit.process.Signal;

/**
 * A real single-member etcd 3.4 cluster (Debian's {@code etcd-server}) on 127.0.0.1, or on a test
 * {@link Host}'s address inside its namespace when placed there with {@link Builder#on(Host)}.
 *
 * <p>It keeps its ports and data across {@link #stop()} / {@link #start()}, so a restart is the same
 * cluster. {@link #freeze()} stops the process (SIGSTOP) without closing its sockets: clients see
 * time-outs, not refused connections, as with a hung host.
 *
 * <p>Not thread-safe.
 */
public final class EtcdNode implements Component {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Host host;
    private final String address;
    private final int clientPort;
    private final int peerPort;
    private final Path directory;
    private final ComponentLog log;
    private ChildProcess process;
    private boolean frozen;

    private EtcdNode(String name, Host host, Path directory) {
        this.name = name;
        this.host = host;
        this.address = Host.addressOf(host);
        this.clientPort = Ports.allocate();
        this.peerPort = Ports.allocate();
        this.directory = directory;
        this.log = new ComponentLog(directory.resolve("etcd.log"));
    }

    /** Configures an etcd node; {@link #start()} starts it. */
    public static final class Builder {
        private final Testbed testbed;
        private final String name;
        private Host host;

        public Builder(Testbed testbed, String name) {
            this.testbed = testbed;
            this.name = name;
        }

        /** Runs etcd on {@code host}, listening on and advertising its address. */
        public Builder on(Host host) {
            this.host = host;
            return this;
        }

        public EtcdNode start() {
            EtcdNode node = testbed.register(new EtcdNode(name, host, testbed.directoryFor(name)));
            node.start();
            return node;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ComponentLog log() {
        return log;
    }

    /** The client URL, for instance {@code http://127.0.0.1:23790} (the host's address when on one). */
    public String endpoint() {
        return "http://" + address + ":" + clientPort;
    }

    /** The host it runs on, if it was placed on one. */
    public Optional<Host> host() {
        return Optional.ofNullable(host);
    }

    public int clientPort() {
        return clientPort;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts etcd (again, with the same ports and data) and waits until it reports healthy. */
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        String peerUrl = "http://" + address + ":" + peerPort;
        long mark = log.mark();
        process = ChildProcess.start(List.of(binary(),
                        "--name", name,
                        "--data-dir", directory.resolve("data").toString(),
                        "--listen-client-urls", endpoint(),
                        "--advertise-client-urls", endpoint(),
                        "--listen-peer-urls", peerUrl,
                        "--initial-advertise-peer-urls", peerUrl,
                        "--initial-cluster", name + "=" + peerUrl,
                        "--initial-cluster-state", "new",
                        "--heartbeat-interval", "50",
                        "--election-timeout", "500"),
                Host.placed(host, RunAs.CURRENT), directory, Map.of(), log);
        frozen = false;
        try {
            Await.until(name + " healthy at " + endpoint(), START_TIMEOUT, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("etcd exited with " + process.exitValue());
                }
                return isHealthy();
            });
        } catch (AssertionError e) {
            throw new IllegalStateException(name + " did not start; its log:\n" + log.since(mark), e);
        }
        log.announce("etcd '" + name + "' serving clients on " + endpoint() + " (pid " + process.pid() + ")");
    }

    /** Stops etcd (SIGTERM) and waits for it to exit; thaws it first if frozen. */
    public void stop() {
        if (!isRunning()) {
            return;
        }
        if (frozen) {
            thaw();
        }
        process.signal(Signal.TERM);
        if (!process.waitForExit(Duration.ofSeconds(20))) {
            process.kill();
        }
        log.announce("etcd '" + name + "' stopped");
    }

    /** Stops and starts again on the same ports with the same data. */
    public void restart() {
        stop();
        start();
    }

    /**
     * etcd lost for good and rebuilt from scratch, as after a lost quorum restored as a new
     * cluster: stopped, its data removed, started again on the same ports. Every key and lease is
     * gone, and its revisions (and its cluster id) start again.
     */
    public void rebuild() {
        kill9();
        try (var paths = Files.walk(directory.resolve("data"))) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove etcd's data", e);
        }
        log.announce("etcd '" + name + "' data removed");
        start();
    }

    /** SIGKILL: etcd dies without any chance to react. */
    public void kill9() {
        if (isRunning()) {
            process.kill();
            log.announce("etcd '" + name + "' killed");
        }
    }

    /** SIGSTOP: etcd keeps its sockets open but answers nothing until {@link #thaw()}. */
    public void freeze() {
        requireRunning();
        process.signal(Signal.STOP);
        frozen = true;
        log.announce("etcd '" + name + "' frozen (SIGSTOP)");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        requireRunning();
        process.signal(Signal.CONT);
        frozen = false;
        log.announce("etcd '" + name + "' thawed (SIGCONT)");
    }

    /** Whether etcd answers its /health endpoint with a healthy status right now. */
    public boolean isHealthy() {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (isRunning()) {
            if (frozen) {
                thaw();
            }
            process.kill();
        }
    }

    @Override
    public String toString() {
        return "etcd '" + name + "' at " + endpoint();
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException(name + " is not running");
        }
    }

    private static String binary() {
        String path = System.getProperty("steward.etcd.bin", "/usr/bin/etcd");
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(path + " is missing: install Debian's etcd-server package "
                    + "(scripts/setup-machine.sh does) or point -Dsteward.etcd.bin at an etcd 3.4 binary");
        }
        return path;
    }
}
