package io.steward.testkit.agent;

import static io.steward.testkit.process.YamlTree.map;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;


import io.steward.testkit.Await;
import io.steward.testkit.Component;
import io.steward.testkit.Ports;
import io.steward.testkit.Testbed;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.net.Host;
import io.steward.testkit.postgres.Sql;
import io.steward.testkit.process.ComponentLog;
import io.steward.testkit.process.JavaProgram;
import io.steward.testkit.process.YamlTree;

/**
 * A Steward node agent in a child JVM, with the Patroni-style YAML a user would write for it:
 * its own PostgreSQL port and REST port on 127.0.0.1, passwords for the superuser, replication
 * and rewind roles, and scram authentication. The agent runs {@code io.steward.agent.AgentMain}
 * from the test's classpath (the test kit does not depend on the agent).
 *
 * <p>Placed on a test {@link Host} ({@link Builder#on(Host)}), the agent and the PostgreSQL it
 * starts run inside the host's namespace; both listen on and advertise the host's address, and
 * pg_hba admits the whole test network (where the other members and the test itself are).
 *
 * <p>The PostgreSQL instance it manages outlives the agent on purpose (that is what fencing is
 * about); {@link #close()} kills it too, with the fencing watchdog.
 */
public final class AgentNode implements Component {

    public static final String MAIN_CLASS = "io.steward.agent.AgentMain";
    public static final String SUPERUSER_PASSWORD = "super-secret";
    public static final String REPLICATION_PASSWORD = "repl-secret";
    public static final String REWIND_PASSWORD = "rewind-secret";
    /**
     * The JVM settings docs/operations.md recommends for an agent (compose/systemd has the same):
     * a small heap that gives memory back, and at most two malloc arenas.
     */
    public static final List<String> RECOMMENDED_JVM_OPTIONS = List.of("-Xms16m", "-Xmx96m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

    private final String name;
    private final Host host;
    private final Path directory;
    private final int pgPort;
    private final int restPort;
    private final Path configFile;
    private final boolean tls;
    private final JavaProgram program;

    private AgentNode(Builder builder, Path directory) {
        this.name = builder.name;
        this.host = builder.host;
        this.directory = directory;
        this.pgPort = builder.pgPort;
        this.restPort = builder.restPort;
        this.configFile = directory.resolve(name + ".yml");
        this.tls = builder.overrides.containsKey("restapi.certfile");
        writeConfiguration(builder.tree());
        JavaProgram.Builder program = new JavaProgram.Builder(builder.testbed, name, directory)
                .mainClass(MAIN_CLASS)
                .arguments(configFile.toString())
                .owns(dataDir())
                .owns(stateDir())
                .on(host);
        RECOMMENDED_JVM_OPTIONS.forEach(program::jvmOption);
        if (builder.classpath != null) {
            program.classpath(builder.classpath);
        }
        program.environment("MALLOC_ARENA_MAX", "2");
        if (builder.classDataArchive != null) {
            program.jvmOption("-XX:SharedArchiveFile=" + builder.classDataArchive)
                    .jvmOption("-XX:+AutoCreateSharedArchive").jvmOption("-Xlog:cds=error");
        }
        builder.environment.forEach(program::environment);
        this.program = program.build();
    }

    /** Configures an agent; {@link #start()} starts it. */
    public static final class Builder {
        private final Testbed testbed;
        private final String name;
        private final int pgPort = Ports.allocate();
        private final int restPort = Ports.allocate();
        private final Map<String, Object> overrides = new LinkedHashMap<>();
        private final Map<String, Object> dcs = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path classDataArchive;
        private String classpath;
        private String scope = "demo";
        private String etcd;
        private String kafka;
        private String topicPrefix = "steward.";
        private String logLevel = "INFO";
        private Integer citusGroup;
        private Host host;

        public Builder(Testbed testbed, String name) {
            this.testbed = testbed;
            this.name = name;
        }

        /** Runs the agent and its PostgreSQL on {@code host}, at the host's address. */
        public Builder on(Host host) {
            this.host = host;
            return this;
        }

        /** The scope this agent's member belongs to ("demo" unless set). */
        public String scope() {
            return scope;
        }

        public Builder scope(String value) {
            this.scope = value;
            return this;
        }

        public Builder etcd(EtcdNode node) {
            this.etcd = node.endpoint().replaceFirst("^https?://", "");
            return this;
        }

        public Builder kafka(KafkaBroker broker) {
            this.kafka = broker.bootstrapServers();
            return this;
        }

        public Builder topicPrefix(String prefix) {
            this.topicPrefix = prefix;
            return this;
        }

        /** A key of {@code bootstrap.dcs}, such as ("ttl", 4). */
        public Builder dcs(String key, Object value) {
            dcs.put(key, value);
            return this;
        }

        public Builder tag(String tag, String value) {
            tags.put(tag, value);
            return this;
        }

        public Builder citusGroup(int group) {
            this.citusGroup = group;
            return this;
        }

        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        /** Sets any key of the YAML by its dotted path ("restapi.authentication.username"). */
        public Builder set(String path, Object value) {
            overrides.put(path, value);
            return this;
        }

        public Builder environment(String variable, String value) {
            environment.put(variable, value);
            return this;
        }

        /**
         * Loads classes from this class-data archive, written when an agent with it exits cleanly
         * (and rewritten when the classpath changed): what makes a restarted agent start faster.
         */
        public Builder classDataArchive(Path archive) {
            this.classDataArchive = archive;
            return this;
        }

        /**
         * Runs the agent from this classpath (its jar, as deployed) instead of the tests' classpath;
         * a class-data archive needs one made of jars only.
         */
        public Builder classpath(String value) {
            this.classpath = value;
            return this;
        }

        /** Writes the YAML and registers the agent without starting it. */
        public AgentNode build() {
            return new AgentNode(this, testbed.directoryFor(name)); // its JavaProgram is what the testbed stops
        }

        /** Writes the YAML, starts the agent and waits until its REST API answers. */
        public AgentNode start() {
            AgentNode agent = build();
            agent.start();
            return agent;
        }

        Map<String, Object> tree() {
            if (etcd == null || kafka == null) {
                throw new IllegalStateException("an agent needs etcd and kafka");
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("scope", scope);
            root.put("name", name);
            String address = Host.addressOf(host);
            root.put("restapi", map("listen", address + ":" + restPort, "connect_address", address + ":" + restPort));
            root.put("etcd3", map("hosts", List.of(etcd)));
            root.put("kafka", map("bootstrap_servers", kafka, "topic_prefix", topicPrefix, "heartbeat_interval", 0.5));
            Map<String, Object> bootstrap = new LinkedHashMap<>();
            Map<String, Object> dcsTree = new LinkedHashMap<>();
            dcsTree.put("ttl", 4);
            dcsTree.put("maximum_lag_on_failover", 1048576);
            dcsTree.putAll(dcs);
            bootstrap.put("dcs", dcsTree);
            bootstrap.put("initdb", List.of(map("encoding", "UTF8"), "data-checksums"));
            List<String> hba = new ArrayList<>(List.of(
                    "host replication replicator 127.0.0.1/32 scram-sha-256",
                    "host all all 127.0.0.1/32 scram-sha-256"));
            if (host != null) {
                hba.add("host replication replicator " + host.network().cidr() + " scram-sha-256");
                hba.add("host all all " + host.network().cidr() + " scram-sha-256");
            }
            bootstrap.put("pg_hba", hba);
            root.put("bootstrap", bootstrap);
            root.put("postgresql", map(
                    "listen", address + ":" + pgPort,
                    "connect_address", address + ":" + pgPort,
                    "data_dir", "DATA_DIR",
                    "pg_ctl_timeout", 60,
                    "authentication", map(
                            "superuser", map("username", "postgres", "password", SUPERUSER_PASSWORD),
                            "replication", map("username", "replicator", "password", REPLICATION_PASSWORD),
                            "rewind", map("username", "rewinder", "password", REWIND_PASSWORD)),
                    "parameters", map("max_connections", 40, "shared_buffers", "16MB", "fsync", "off",
                            "wal_keep_size", "64MB", "log_min_messages", "warning")));
            if (!tags.isEmpty()) {
                root.put("tags", new LinkedHashMap<>(tags));
            }
            if (citusGroup != null) {
                root.put("citus", map("group", citusGroup, "database", "citus"));
            }
            root.put("log", map("level", logLevel));
            overrides.forEach((path, value) -> YamlTree.put(root, path, value));
            return root;
        }
    }

    @SuppressWarnings("unchecked")
    private void writeConfiguration(Map<String, Object> tree) {
        ((Map<String, Object>) tree.get("postgresql")).put("data_dir", dataDir().toString());
        YamlTree.write(configFile, tree);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ComponentLog log() {
        return program.log();
    }

    /** The agent's YAML file. */
    public Path configFile() {
        return configFile;
    }

    public Path dataDir() {
        return directory.resolve("data");
    }

    /** Where the agent keeps its own files: lease id, executed commands, PostgreSQL's log. */
    public Path stateDir() {
        return directory.resolve("data.steward");
    }

    public int pgPort() {
        return pgPort;
    }

    /** The address PostgreSQL and the REST API listen on: 127.0.0.1, or the host's. */
    public String pgHost() {
        return Host.addressOf(host);
    }

    /** The host it runs on, if it was placed on one. */
    public Optional<Host> host() {
        return Optional.ofNullable(host);
    }

    /** {@code http://127.0.0.1:<port>} (https when the YAML names a certificate; the host's address when on one). */
    public String restUrl() {
        return (tls ? "https" : "http") + "://" + pgHost() + ":" + restPort;
    }

    public int restPort() {
        return restPort;
    }

    /** SQL against the managed instance as the superuser. */
    public Sql sql() {
        return Sql.of(pgHost(), pgPort, "postgres", "postgres", SUPERUSER_PASSWORD);
    }

    /** What PostgreSQL logged (the agent writes it next to the data directory). */
    public String postgresLog() {
        try {
            Path file = stateDir().resolve("postgresql.log");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    public JavaProgram program() {
        return program;
    }

    public boolean isRunning() {
        return program.isRunning();
    }

    /** Starts the agent and waits until its REST API accepts connections. */
    public void start() {
        program.start();
        try {
            Await.until(name + "'s REST API on port " + restPort, Duration.ofSeconds(60), () -> {
                if (!program.isRunning()) {
                    throw new IllegalStateException(name + " exited:\n" + program.log().tail(60));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(pgHost(), restPort), 200);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new IllegalStateException(name + " did not open its REST API:\n" + program.log().tail(60), e);
        }
    }

    /** SIGTERM: the agent stops PostgreSQL and releases its lease, as Patroni does. */
    public void stop() {
        program.stop(Duration.ofSeconds(60));
    }

    /** SIGHUP, as {@code systemctl reload} sends it. */
    public void sighup() {
        io.steward.testkit.process.ChildProcess.sendSignal(program.pid(), io.steward.testkit.process.Signal.HUP);
    }

    /** SIGKILL of the agent alone: PostgreSQL keeps running under its watchdog. */
    public void kill9() {
        program.kill9();
    }

    /** SIGSTOP of the agent's JVM alone (a long pause): PostgreSQL goes on serving. */
    public void freeze() {
        program.freeze();
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        program.thaw();
    }

    @Override
    public void close() {
        program.close();
    }

    @Override
    public String toString() {
        return "agent " + name + " (PostgreSQL on " + pgHost() + ":" + pgPort + ", REST on " + restPort + ")";
    }
}
