package io.steward.testkit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.events.kafka.Topics;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.decider.DeciderNode;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.log.LogTap;
import io.steward.testkit.net.Host;
import io.steward.testkit.net.Network;
import io.steward.testkit.postgres.Sql;
import io.steward.testkit.process.JavaProgram;

/**
 * A whole Steward installation on real components, as the system's tests need it: etcd, a Kafka
 * broker, deciders, agents on empty data directories, the log read from its beginning, and the
 * questions tests ask of it (who accepts writes, who streams from whom, what the decider shows).
 *
 * <pre>{@code
 * TestCluster cluster = new TestCluster(testbed);
 * cluster.decider("d1");
 * cluster.agent("pg1"); cluster.agent("pg2"); cluster.agent("pg3");
 * AgentNode primary = cluster.awaitHealthy(2);
 * }</pre>
 *
 * <p>{@link #onSeparateHosts(Testbed)} builds the same installation with every component on a test
 * host of its own (etcd on "etcd", Kafka on "kafka", each decider and agent on a host named after
 * it), so that a test can cut the network between any two of them through {@link #network()}.
 */
public final class TestCluster implements AutoCloseable {

    /** How long the cluster may take for anything a test waits for. */
    public static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Testbed testbed;
    private final Network network;
    private final SecuredInstallation security;
    private final EtcdNode etcd;
    private final KafkaBroker kafka;
    private final List<DeciderNode> deciders = new ArrayList<>();
    private final List<AgentNode> agents = new ArrayList<>();
    private LogTap log;

    /** etcd and a Kafka broker on 127.0.0.1, started; deciders and agents follow. */
    public TestCluster(Testbed testbed) {
        this(testbed, null, false);
    }

    private TestCluster(Testbed testbed, Network network, boolean secured) {
        this.testbed = testbed;
        this.network = network;
        this.etcd = testbed.etcd().on(hostFor("etcd")).start();
        KafkaBroker.Builder broker = testbed.kafka().on(hostFor("kafka"));
        this.kafka = (secured ? broker.secured() : broker).start();
        this.security = secured ? SecuredInstallation.provision(kafka, testbed.directoryFor("credentials")) : null;
    }

    /**
     * etcd and a secured Kafka broker on 127.0.0.1: every decider and agent added later logs in
     * with a principal of its own that has only its role's ACLs, and facts are sealed with each
     * agent's key ({@link SecuredInstallation}).
     */
    public static TestCluster secured(Testbed testbed) {
        return new TestCluster(testbed, null, true);
    }

    /** The credentials of a {@link #secured} cluster. */
    public SecuredInstallation security() {
        if (security == null) {
            throw new IllegalStateException("this cluster is not secured: build it with TestCluster.secured");
        }
        return security;
    }

    /**
     * etcd and a Kafka broker started on hosts of their own in a new {@link Network}; every
     * decider and agent added later gets a host of its own too, named after it.
     */
    public static TestCluster onSeparateHosts(Testbed testbed) {
        return new TestCluster(testbed, testbed.network(), false);
    }

    /** A cluster with deciders d1..dN and an agent for each of {@code members}, started in that order. */
    public static TestCluster of(Testbed testbed, int deciders, String... members) {
        TestCluster cluster = new TestCluster(testbed);
        for (int i = 1; i <= deciders; i++) {
            cluster.decider("d" + i);
        }
        for (String member : members) {
            cluster.agent(member);
        }
        return cluster;
    }

    public EtcdNode etcd() {
        return etcd;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The network of a cluster {@link #onSeparateHosts on separate hosts}. */
    public Network network() {
        if (network == null) {
            throw new IllegalStateException("this cluster runs on 127.0.0.1: build it with TestCluster.onSeparateHosts");
        }
        return network;
    }

    /** The host of a component ("etcd", "kafka", "d1", "pg1") of a cluster on separate hosts. */
    public Host host(String component) {
        return network().find(component)
                .orElseThrow(() -> new IllegalArgumentException("no host " + component + " in " + network));
    }

    /** The log, read from its beginning (open once the first decider has made the topics). */
    public LogTap log() {
        if (log == null) {
            throw new IllegalStateException("start a decider first: it creates the topics");
        }
        return log;
    }

    public List<DeciderNode> deciders() {
        return List.copyOf(deciders);
    }

    public List<AgentNode> agents() {
        return List.copyOf(agents);
    }

    /** Starts a decider (the first one creates the topics) with extra JVM options. */
    public DeciderNode decider(String name, String... jvmOptions) {
        return decider(name, builder -> {
            for (String option : jvmOptions) {
                builder.jvmOption(option);
            }
        });
    }

    /** Starts a decider with its YAML adjusted first (the writers' secret, say). */
    public DeciderNode decider(String name, Consumer<DeciderNode.Builder> adjust) {
        DeciderNode.Builder builder = testbed.decider(name).etcd(etcd).kafka(kafka).on(hostFor(name));
        if (security != null) {
            builder.set("kafka.properties", security.deciderKafka())
                    .set("admission.secret_file", security.secretFile().toString());
        }
        adjust.accept(builder);
        DeciderNode decider = builder.start();
        deciders.add(decider);
        if (log == null) {
            log = LogTap.open(kafka.bootstrapServers(), Topics.DEFAULT.log(),
                    security == null ? java.util.Map.of() : security.observerKafka());
        }
        return decider;
    }

    /** Starts an agent for a new member on an empty data directory. */
    public AgentNode agent(String name) {
        return agent(name, builder -> { });
    }

    /** Starts an agent, with its YAML adjusted first (tags, bootstrap.dcs, ...). */
    public AgentNode agent(String name, Consumer<AgentNode.Builder> adjust) {
        AgentNode.Builder builder = testbed.agent(name).etcd(etcd).kafka(kafka).on(hostFor(name));
        adjust.accept(builder);
        if (security != null) {
            builder.set("kafka.properties", security.agentKafka(name))
                    .set("kafka.writer_key_file", security.agentKeyFile(builder.scope(), name).toString());
        }
        AgentNode agent = builder.start();
        agents.add(agent);
        return agent;
    }

    public AgentNode member(String name) {
        return agents.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * The members whose PostgreSQL accepts writes now. A member that does not answer within a few
     * seconds (frozen, its host cut off) counts as not writable.
     */
    public List<String> writable() {
        List<String> writable = new ArrayList<>();
        for (AgentNode agent : agents) {
            if (isWritable(agent.sql().withTimeouts(PROBE_TIMEOUT, PROBE_TIMEOUT))) {
                writable.add(agent.name());
            }
        }
        return writable;
    }

    private static boolean isWritable(Sql sql) {
        try {
            return "f".equals(sql.queryValue("SELECT pg_is_in_recovery()"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Waits until exactly one member accepts writes and {@code replicas} members stream from it. */
    public AgentNode awaitHealthy(int replicas) {
        return awaitHealthy(agents.stream().map(AgentNode::name).toList(), replicas);
    }

    /**
     * The same within one group of {@code members} (a Citus cluster has several groups, each with
     * its own primary).
     */
    public AgentNode awaitHealthy(List<String> members, int replicas) {
        return Await.value("one primary among " + members + " and " + replicas + " streaming replicas", TIMEOUT, () -> {
            List<String> writable = writable().stream().filter(members::contains).toList();
            if (writable.size() != 1) {
                return Optional.empty();
            }
            AgentNode primary = member(writable.get(0));
            try {
                return streamingFrom(primary).size() == replicas ? Optional.of(primary) : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** The members streaming from {@code primary} now (not pg_basebackup's WAL stream of a clone). */
    public static List<String> streamingFrom(AgentNode primary) {
        return primary.sql().queryColumn("SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' "
                + "AND application_name <> 'pg_basebackup' ORDER BY 1");
    }

    /** {@code GET /v1/scopes/demo} from {@code decider}. */
    public static JsonNode view(DeciderNode decider) {
        try {
            return JSON.readTree(decider.get("/v1/scopes/demo").orElseThrow().body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The decider that says it leads. */
    public DeciderNode leader() {
        return Await.value("a leading decider", TIMEOUT,
                () -> deciders.stream().filter(DeciderNode::isRunning).filter(DeciderNode::isLeader).findFirst());
    }

    /**
     * The host of {@code member} dies: its agent is killed (SIGKILL), and PostgreSQL with it and its
     * watchdog (on a host of its own: every process in the host's namespace; otherwise everything
     * whose command line names the member's directories).
     */
    public void killHost(AgentNode member) {
        member.kill9();
        if (member.host().isPresent()) {
            member.host().get().killAll();
            return;
        }
        JavaProgram.killProcessesNaming(member.dataDir());
        JavaProgram.killProcessesNaming(member.stateDir());
    }

    /** A libpq-style URL to whichever member is primary, as applications connect. */
    public String primaryUrl() {
        StringBuilder hosts = new StringBuilder();
        for (AgentNode agent : agents) {
            hosts.append(hosts.isEmpty() ? "" : ",").append(agent.pgHost()).append(':').append(agent.pgPort());
        }
        return "jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary&hostRecheckSeconds=0"
                + "&connectTimeout=1&socketTimeout=3&loginTimeout=3";
    }

    /** The host for a new component on a cluster on separate hosts (the same one when it is built again), else none. */
    private Host hostFor(String component) {
        if (network == null) {
            return null;
        }
        return network.find(component).orElseGet(() -> network.host(component));
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
