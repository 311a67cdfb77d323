package io.steward.bench.compare;

import java.util.List;

import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;

/**
 * Steward: etcd, a Kafka broker, one decider and three agents on empty data directories. The
 * agents run with the recommended JVM settings and a class-data archive each, as agents deployed
 * with compose/systemd have once they have stopped cleanly once: the first group of a run writes
 * them, later groups (and every restart) load them.
 */
final class StewardGroup implements ManagedGroup {

    private static final List<String> MEMBERS = List.of("s1", "s2", "s3");
    /** The agent as deployed: its jar, with its dependencies in lib/ beside it. */
    private static final java.nio.file.Path AGENT_JAR = java.nio.file.Path.of("node-agent/target/steward-node-agent.jar")
            .toAbsolutePath();
    private static final java.nio.file.Path ARCHIVES = java.nio.file.Path.of(
            System.getProperty("steward.testkit.dir", System.getProperty("java.io.tmpdir")));

    private final TestCluster cluster;

    StewardGroup(Testbed testbed, Profile profile, boolean synchronous) {
        cluster = new TestCluster(testbed);
        cluster.decider("d1");
        for (String name : MEMBERS) {
            cluster.agent(name, agent -> {
                agent.classpath(AGENT_JAR.toString()).classDataArchive(ARCHIVES.resolve("steward-agent-" + name + ".jsa"));
                profile.steward().forEach(agent::dcs);
                agent.dcs("synchronous_mode", synchronous);
            });
        }
        warmUp();
    }

    /**
     * Stops and starts each agent without a class-data archive once, replicas first, so that it
     * writes one: every measured restart then starts as a deployed agent does after its first stop.
     */
    private void warmUp() {
        List<String> cold = MEMBERS.stream()
                .filter(name -> !java.nio.file.Files.exists(ARCHIVES.resolve("steward-agent-" + name + ".jsa"))).toList();
        if (cold.isEmpty()) {
            return;
        }
        String leader = cluster.awaitHealthy(2).name();
        List<String> order = new java.util.ArrayList<>(cold.stream().filter(name -> !name.equals(leader)).toList());
        if (cold.contains(leader)) {
            order.add(leader);
        }
        for (String name : order) {
            AgentNode agent = cluster.member(name);
            agent.stop();
            agent.start();
            cluster.awaitHealthy(2);
        }
    }

    @Override
    public String manager() {
        return "Steward";
    }

    @Override
    public List<String> members() {
        return MEMBERS;
    }

    @Override
    public int pgPort(String member) {
        return cluster.member(member).pgPort();
    }

    @Override
    public String superuserPassword() {
        return AgentNode.SUPERUSER_PASSWORD;
    }

    @Override
    public String awaitHealthy() {
        return cluster.awaitHealthy(2).name();
    }

    @Override
    public void killHost(String member) {
        java.util.List<ProcessHandle> postgres = Hosts.postgresProcesses(cluster.member(member).dataDir());
        cluster.killHost(cluster.member(member));
        Hosts.killAll(postgres);
    }

    @Override
    public void restart(String member) {
        cluster.member(member).start();
    }

    @Override
    public void switchover(String from, String to) {
        Http.postExpecting200(cluster.member(from).restUrl() + "/switchover",
                "{\"leader\": \"" + from + "\", \"candidate\": \"" + to + "\"}");
    }

    @Override
    public List<Long> managerPids() {
        return cluster.agents().stream().filter(AgentNode::isRunning).map(agent -> agent.program().pid()).toList();
    }

    /** The decider's process, whose footprint is reported apart from the agents'. */
    long deciderPid() {
        return cluster.deciders().get(0).program().pid();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
