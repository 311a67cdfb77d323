package io.steward.testkit.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.decider.DeciderNode;
import io.steward.testkit.faults.FaultScenario.Undo;
import io.steward.testkit.net.Network;
import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.Signal;

/**
 * The group the fault matrix runs against: etcd, a Kafka broker, two deciders and three members,
 * each on a host of its own, in the fast profile ({@code ttl} 2 s), asynchronous or synchronous.
 * It injects each {@link FaultScenario}'s fault and knows how to undo it; between runs the group
 * is simply whatever the last run left, once converged (the primary may have moved).
 *
 * <p>Not thread-safe.
 */
public final class FaultCluster implements AutoCloseable {

    /** The members, deciders and the scope's leader key. */
    static final List<String> MEMBERS = List.of("pg1", "pg2", "pg3");
    private static final String LEADER_KEY = "/service/demo/0/leader";

    private final TestCluster cluster;
    private final boolean synchronous;
    private final Client etcd;

    private FaultCluster(TestCluster cluster, boolean synchronous) {
        this.cluster = cluster;
        this.synchronous = synchronous;
        this.etcd = Client.builder().endpoints(cluster.etcd().endpoint()).build();
    }

    /** Starts the group and waits until it is healthy (with a synchronous standby in synchronous mode). */
    public static FaultCluster start(Testbed testbed, boolean synchronous) {
        TestCluster cluster = TestCluster.onSeparateHosts(testbed);
        cluster.decider("d1");
        cluster.decider("d2");
        for (String name : MEMBERS) {
            cluster.agent(name, agent -> agent.dcs("ttl", 2).dcs("synchronous_mode", synchronous));
        }
        FaultCluster faults = new FaultCluster(cluster, synchronous);
        faults.awaitConverged();
        return faults;
    }

    public TestCluster cluster() {
        return cluster;
    }

    public boolean synchronous() {
        return synchronous;
    }

    /**
     * Waits until the group is whole again: every agent and decider running, a decider leading,
     * one primary with both replicas streaming from it, and in synchronous mode one of them
     * synchronous. Returns the primary.
     */
    public AgentNode awaitConverged() {
        Await.until("every agent and decider running", TestCluster.TIMEOUT,
                () -> cluster.agents().stream().allMatch(AgentNode::isRunning)
                        && cluster.deciders().stream().allMatch(DeciderNode::isRunning));
        cluster.leader();
        AgentNode primary = cluster.awaitHealthy(MEMBERS.size() - 1);
        if (synchronous) {
            Await.until("a synchronous standby", TestCluster.TIMEOUT, () -> primary.sql().queryColumn(
                    "SELECT sync_state FROM pg_stat_replication").contains("sync"));
        }
        return primary;
    }

    /** The member that is primary now (the group must be healthy). */
    AgentNode primary() {
        return cluster.awaitHealthy(MEMBERS.size() - 1);
    }

    // ---- the faults, each returning its undo ------------------------------------------------

    Undo killPrimaryHost() {
        AgentNode primary = primary();
        cluster.killHost(primary);
        return primary::start;
    }

    Undo killPrimaryPostgres() {
        AgentNode primary = primary();
        ChildProcess.sendSignal(postmasterPid(primary), Signal.KILL);
        return () -> { };
    }

    Undo killPrimaryAgent() {
        AgentNode primary = primary();
        primary.kill9();
        return primary::start;
    }

    Undo freezePrimaryAgent() {
        AgentNode primary = primary();
        primary.freeze();
        return primary::thaw;
    }

    Undo cutPrimaryFrom(String component) {
        Network network = cluster.network();
        network.cut(cluster.host(primary().name()), cluster.host(component));
        return network::healAll;
    }

    Undo isolatePrimary() {
        Network network = cluster.network();
        network.isolate(cluster.host(primary().name()));
        return network::healAll;
    }

    /** In synchronous mode the synchronous standby, the replica whose loss matters. */
    Undo isolateReplica() {
        AgentNode primary = primary();
        List<String> preferred = primary.sql().queryColumn("SELECT application_name FROM pg_stat_replication "
                + "WHERE application_name <> 'pg_basebackup' ORDER BY sync_state = 'sync' DESC, application_name");
        Network network = cluster.network();
        network.isolate(cluster.host(preferred.get(0)));
        return network::healAll;
    }

    Undo deleteLeaderKey() {
        try {
            etcd.getKVClient().delete(ByteSequence.from(LEADER_KEY, StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete " + LEADER_KEY + ": " + e.getMessage(), e);
        }
        return () -> { };
    }

    Undo cutLeadingDeciderFrom(String component) {
        Network network = cluster.network();
        network.cut(cluster.host(cluster.leader().name()), cluster.host(component));
        return network::healAll;
    }

    Undo killDeciderMidFailover() {
        AgentNode primary = primary();
        DeciderNode decider = cluster.leader();
        int mark = cluster.log().mark();
        cluster.killHost(primary);
        cluster.log().awaitAfter(mark, "the failover decided", FailoverDecided.class, decided -> true,
                TestCluster.TIMEOUT);
        decider.kill9();
        return () -> {
            decider.start();
            primary.start();
        };
    }

    Undo freezeBroker() {
        cluster.kafka().freeze();
        return cluster.kafka()::thaw;
    }

    Undo freezeEtcd() {
        cluster.etcd().freeze();
        return cluster.etcd()::thaw;
    }

    private static long postmasterPid(AgentNode member) {
        Path pidFile = member.dataDir().resolve("postmaster.pid");
        return Await.value("the postmaster of " + member.name(), Duration.ofSeconds(30), () -> {
            try {
                return java.util.Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).strip()));
            } catch (Exception e) {
                return java.util.Optional.empty();
            }
        });
    }

    @Override
    public void close() {
        etcd.close();
        cluster.close();
    }
}
