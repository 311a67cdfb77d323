package io.steward.testkit.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

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
 * A real single-node Kafka 4.3 KRaft broker, in a child JVM, listening on 127.0.0.1 only, or on a
 * test {@link Host}'s address inside its namespace when placed there with {@link Builder#on(Host)}.
 *
 * <p>The child runs {@link KafkaBrokerMain} on the test kit's own resolved classpath (written at
 * build time), so it never sees the classpath of the module under test. It keeps its ports and log
 * directory across {@link #stop()} and {@link #start()}. Transactions work on one node: the
 * transaction and offsets topics are created with replication factor 1.
 *
 * <p>By default the broker is open: PLAINTEXT listeners and no authorizer. {@link Builder#secured()}
 * starts it as production would be: SASL_SSL with SCRAM-SHA-512 for clients and between brokers,
 * a certificate the test kit makes for its address, mutual TLS on the controller listener, and
 * Kafka's {@code StandardAuthorizer} with no access without an ACL. Clients then log in with
 * {@link #clientProperties(String, String)}; {@link #principals()} creates users and grants ACLs
 * as the {@code admin} super user.
 *
 * <p>Not thread-safe.
 */
public final class KafkaBroker implements Component {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private final String name;
    private final Host host;
    private final String address;
    private final int port;
    private final int controllerPort;
    private final Path directory;
    private final Map<String, String> overrides;
    private final ComponentLog log;
    private final KafkaSecurity security;
    private ChildProcess process;
    private boolean frozen;

    private KafkaBroker(String name, Host host, Path directory, Map<String, String> overrides, boolean secured) {
        this.name = name;
        this.host = host;
        this.address = Host.addressOf(host);
        this.port = Ports.allocate();
        this.controllerPort = Ports.allocate();
        this.directory = directory;
        this.overrides = Map.copyOf(overrides);
        this.log = new ComponentLog(directory.resolve("kafka.log"));
        this.security = secured ? KafkaSecurity.generate(directory.resolve("tls"), address, log) : null;
    }

    /** Configures a broker; {@link #start()} starts it. */
    public static final class Builder {
        private final Testbed testbed;
        private final String name;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Host host;
        private boolean secured;

        public Builder(Testbed testbed, String name) {
            this.testbed = testbed;
            this.name = name;
        }

        /** Runs the broker on {@code host}: its listeners, advertised listener and quorum voter there. */
        public Builder on(Host host) {
            this.host = host;
            return this;
        }

        /** A broker setting that replaces the test kit's default, for instance ("num.partitions", "3"). */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * Starts the broker with authentication, encryption and authorization, as production would
         * run it (see the class comment); {@link #config} overrides still apply on top.
         */
        public Builder secured() {
            this.secured = true;
            return this;
        }

        public KafkaBroker start() {
            KafkaBroker broker = testbed.register(
                    new KafkaBroker(name, host, testbed.directoryFor(name), overrides, secured));
            broker.writeConfiguration();
            broker.start();
            return broker;
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

    /** {@code 127.0.0.1:<port>} (the host's address when on one), for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return address + ":" + port;
    }

    /** The host it runs on, if it was placed on one. */
    public Optional<Host> host() {
        return Optional.ofNullable(host);
    }

    /** Whether it was started {@link Builder#secured() secured}. */
    public boolean isSecured() {
        return security != null;
    }

    /**
     * What a client logging in as {@code user} with {@code password} needs besides
     * {@code bootstrap.servers}: {@code security.protocol}, {@code sasl.mechanism},
     * {@code sasl.jaas.config} and the truststore. Hostname verification stays on; the broker's
     * certificate names {@link #bootstrapServers()}'s address. Empty for a plain broker, which
     * needs nothing, so a caller can serve both kinds.
     */
    public Map<String, String> clientProperties(String user, String password) {
        return security == null ? Map.of() : Map.copyOf(security.clientProperties(user, password));
    }

    /** {@link #clientProperties} of the {@code admin} super user (empty for a plain broker). */
    public Map<String, String> adminProperties() {
        return security == null ? Map.of() : Map.copyOf(security.adminProperties());
    }

    /**
     * An admin session that creates SCRAM users and grants ACLs on this secured broker; close it
     * when done.
     *
     * @throws IllegalStateException on a plain broker, which has no users and no authorizer
     */
    public KafkaPrincipals principals() {
        if (security == null) {
            throw new IllegalStateException(name + " is not secured; start it with .secured()");
        }
        return new KafkaPrincipals(this);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker JVM (again, keeping ports and data) and waits until clients can use it. */
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        long mark = log.mark();
        process = ChildProcess.start(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Djava.io.tmpdir=" + directory,
                        "-Dorg.slf4j.simpleLogger.showDateTime=true",
                        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn",
                        "-Dlog4j2.level=warn",
                        "-cp", classpath(),
                        KafkaBrokerMain.class.getName(),
                        directory.resolve("server.properties").toString()),
                Host.placed(host, RunAs.CURRENT), directory, Map.of(), log);
        frozen = false;
        try {
            Await.until(name + " ready at " + bootstrapServers(), START_TIMEOUT, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("broker JVM exited with " + process.exitValue());
                }
                return log.containsSince(mark, KafkaBrokerMain.READY);
            });
        } catch (AssertionError e) {
            throw new IllegalStateException(name + " did not start; its log:\n" + log.since(mark), e);
        }
        log.announce("Kafka KRaft broker '" + name + "' listening on " + bootstrapServers()
                + (security == null ? "" : " (SASL_SSL, SCRAM-SHA-512, ACLs)")
                + ", controller on " + address + ":" + controllerPort + " (pid " + process.pid() + ")");
    }

    /** Controlled shutdown (SIGTERM), keeping the data; thaws first if frozen. */
    public void stop() {
        if (!isRunning()) {
            return;
        }
        if (frozen) {
            thaw();
        }
        process.signal(Signal.TERM);
        if (!process.waitForExit(Duration.ofSeconds(60))) {
            process.kill();
        }
        log.announce("Kafka broker '" + name + "' stopped");
    }

    /** Stops and starts again with the same ports and data. */
    public void restart() {
        stop();
        start();
    }

    /** SIGSTOP: the broker keeps its sockets but answers nothing until {@link #thaw()}. */
    public void freeze() {
        process.signal(Signal.STOP);
        frozen = true;
        log.announce("Kafka broker '" + name + "' frozen (SIGSTOP)");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        process.signal(Signal.CONT);
        frozen = false;
        log.announce("Kafka broker '" + name + "' thawed (SIGCONT)");
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
        return "Kafka broker '" + name + "' at " + bootstrapServers();
    }

    private void writeConfiguration() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + address + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + address + ":" + port + ",CONTROLLER://" + address + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", directory.resolve("data").toString());
        config.put("num.partitions", "1");
        config.put("auto.create.topics.enable", "false");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "4");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "4");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        if (security != null) {
            config.putAll(security.brokerConfig(address, port, controllerPort));
        }
        config.putAll(overrides);
        Properties properties = new Properties();
        properties.putAll(config);
        try (OutputStream out = Files.newOutputStream(directory.resolve("server.properties"))) {
            properties.store(out, "Kafka broker started by the Steward test kit");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test kit's own location followed by its resolved runtime classpath. */
    static String classpath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing from the test kit; build it with Maven");
            }
            String resolved = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            Path self = Path.of(KafkaBrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self + java.io.File.pathSeparator + resolved;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
