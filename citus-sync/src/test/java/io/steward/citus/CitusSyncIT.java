package io.steward.citus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.citus.config.CitusSyncConfig;
import io.steward.citus.sync.CitusSync;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.LogRecord;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.citus.CitusStandIn;
import io.steward.testkit.citus.CoordinatorClient;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.postgres.Sql;

/**
 * The field guide's Citus topology on loopback (a coordinator group and a worker group, three
 * members each) with a decider and citus-sync: pg_dist_node follows failovers of a worker and
 * switchovers of the coordinator, and a restarted citus-sync applies nothing twice. Runs against
 * real Citus where it is installed, else the test kit's stand-in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CitusSyncIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static final List<String> COORDINATORS = List.of("c1", "c2", "c3");
    private static final List<String> WORKERS = List.of("w1", "w2", "w3");

    private static TestCluster cluster;
    private static CitusSync sync;
    private static CitusStandIn.Flavor flavor;
    private static Thread syncThread;

    @BeforeAll
    static void start() {
        flavor = CitusStandIn.ensureInstalled();
        System.out.println("[citus] running against " + flavor);
        cluster = new TestCluster(testbed);
        cluster.decider("d1");
        for (String name : COORDINATORS) {
            cluster.agent(name, agent -> agent.citusGroup(0));
        }
        for (String name : WORKERS) {
            cluster.agent(name, agent -> agent.citusGroup(1));
        }
        cluster.awaitHealthy(COORDINATORS, 2);
        cluster.awaitHealthy(WORKERS, 2);
        startSync();
    }

    @AfterAll
    static void stop() {
        stopSync();
    }

    @Test
    @Order(1)
    void pgDistNodeShowsEachGroupsLeaderAsPrimaryAndTheOthersAsSecondaries() {
        AgentNode coordinator = cluster.awaitHealthy(COORDINATORS, 2);
        AgentNode worker = cluster.awaitHealthy(WORKERS, 2);

        List<String> expected = expectedRows(coordinator, worker);
        Await.until("pg_dist_node to show the topology " + expected, TestCluster.TIMEOUT,
                () -> rows(coordinator).equals(expected));
        System.out.println("[scenario citus topology] SELECT * FROM pg_dist_node;\n"
                + String.join("\n", citus(coordinator).queryColumn("SELECT concat_ws(' | ', nodeid, groupid, nodename, "
                + "nodeport, noderack, hasmetadata, isactive, noderole, nodecluster, metadatasynced, shouldhaveshards) "
                + "FROM pg_dist_node ORDER BY nodeid")));
    }

    @Test
    @Order(2)
    void aWorkerFailoverIsInPgDistNodeSoonAfterThePromotion() {
        AgentNode coordinator = cluster.awaitHealthy(COORDINATORS, 2);
        AgentNode oldWorker = cluster.awaitHealthy(WORKERS, 2);
        CoordinatorClient.distributeItems(flavor, citus(coordinator), citus(oldWorker));
        int mark = cluster.log().mark();
        CoordinatorClient client = CoordinatorClient.start(citus(coordinator));
        sleep(Duration.ofSeconds(1));

        long killedAt = System.currentTimeMillis();
        cluster.killHost(oldWorker);
        List<String> rest = WORKERS.stream().filter(name -> !name.equals(oldWorker.name())).toList();
        AgentNode newWorker = cluster.awaitHealthy(rest, 1);
        Await.until("pg_dist_node to point group 1 at " + newWorker.name(), TestCluster.TIMEOUT,
                () -> primaryOf(coordinator, 1).equals("127.0.0.1:" + newWorker.pgPort()));

        LogRecord promotedEvent = cluster.log().awaitRecord("the new worker primary's promotion", MemberStateChanged.class,
                changed -> changed.member().equals(newWorker.name()) && changed.change() == StateChange.PROMOTED, mark,
                Duration.ofSeconds(30));
        LogRecord firstHeartbeatAsPrimary = cluster.log().awaitRecord("the new worker primary's first heartbeat as primary",
                io.steward.core.event.AgentEvent.MemberObserved.class,
                observed -> observed.member().equals(newWorker.name()) && observed.observation().isRunningPrimary(), mark,
                Duration.ofSeconds(30));
        // whichever the log has first: the agent reports the promotion after its first heartbeat as primary at times
        LogRecord promoted = promotedEvent.timestamp().isBefore(firstHeartbeatAsPrimary.timestamp()) ? promotedEvent
                : firstHeartbeatAsPrimary;
        LogRecord applied = cluster.log().awaitRecord("citus-sync's update", CitusTopologyApplied.class,
                event -> event.calls().stream().anyMatch(call -> call.contains(Integer.toString(newWorker.pgPort()))), mark,
                Duration.ofSeconds(30));
        sleep(Duration.ofSeconds(1));
        client.close();
        List<String> rowsAfterFailover = rows(coordinator);
        oldWorker.start(); // it rejoins, and comes back as a secondary (checked below)
        // the decider's first word on it: the member held failed, or the failover itself when the lease went first
        LogRecord heldFailed = cluster.log().awaitRecord("the worker primary declared failed",
                io.steward.core.event.DeciderEvent.MemberDeclaredFailed.class,
                event -> event.member().equals(oldWorker.name()), mark, Duration.ofSeconds(30));
        LogRecord failoverDecided = cluster.log().awaitRecord("the failover of group 1",
                io.steward.core.event.DeciderEvent.FailoverDecided.class, event -> event.group().group() == 1, mark,
                Duration.ofSeconds(30));
        LogRecord declared = heldFailed.timestamp().isBefore(failoverDecided.timestamp()) ? heldFailed : failoverDecided;
        long afterDeclared = client.failuresAfter(declared.timestamp().toEpochMilli());
        long pausedAt = sync.lastPauseOf(1).orElseThrow(() -> new AssertionError("group 1 was never paused")).toEpochMilli();
        long afterPaused = client.failuresAfter(pausedAt);
        printTimeline("citus worker failover", mark);
        System.out.printf("[scenario citus worker failover] promotion → pg_dist_node updated (log time): %d ms%n",
                Duration.between(promoted.timestamp(), applied.timestamp()).toMillis());
        System.out.printf("[scenario citus worker failover] client statements through the coordinator: %d acknowledged, "
                        + "%d failed (%d after the failure was declared %.1f s after the kill, %d after the group was paused "
                        + "%d ms after that); longest statement %d ms%n",
                client.acknowledged().size(), client.failures(), afterDeclared,
                (declared.timestamp().toEpochMilli() - killedAt) / 1000.0, afterPaused,
                pausedAt - declared.timestamp().toEpochMilli(), client.longestMillis());
        assertThat(afterPaused).as("statements started after the group was paused that failed (they wait instead)")
                .isZero();
        assertThat(rowsAfterFailover).filteredOn(row -> row.startsWith("1 ")).as("the dead worker is not a secondary")
                .noneMatch(row -> row.contains(":" + oldWorker.pgPort() + " "));

        cluster.awaitHealthy(WORKERS, 2);
        Await.until("the old worker primary back as a secondary", TestCluster.TIMEOUT,
                () -> rows(coordinator).contains("1 127.0.0.1:" + oldWorker.pgPort() + " secondary"));
    }

    @Test
    @Order(3)
    void workerSwitchoversAreInvisibleToClientsThroughTheCoordinator() {
        AgentNode coordinator = cluster.awaitHealthy(COORDINATORS, 2);
        CoordinatorClient client = CoordinatorClient.start(citus(coordinator));
        sleep(Duration.ofSeconds(1));
        for (int round = 1; round <= 2; round++) {
            AgentNode from = cluster.awaitHealthy(WORKERS, 2);
            String to = WORKERS.stream().filter(name -> !name.equals(from.name())).findFirst().orElseThrow();
            java.time.Instant asked = java.time.Instant.now();
            int mark = cluster.log().mark();
            post(from.restUrl() + "/switchover", "{\"leader\": \"" + from.name() + "\", \"candidate\": \"" + to + "\"}");
            AgentNode now = cluster.awaitHealthy(WORKERS, 2);
            assertThat(now.name()).isEqualTo(to);
            Await.until("pg_dist_node to point group 1 at " + to, TestCluster.TIMEOUT,
                    () -> primaryOf(coordinator, 1).equals("127.0.0.1:" + now.pgPort()));
            assertThat(sync.lastPauseOf(1)).as("citus-sync paused group 1 for switchover %d", round)
                    .hasValueSatisfying(at -> assertThat(at).isAfter(asked));
            cluster.log().awaitRecord("citus-sync's update", CitusTopologyApplied.class,
                    event -> event.calls().stream().anyMatch(call -> call.contains(Integer.toString(now.pgPort()))), mark,
                    Duration.ofSeconds(30));
            printTimeline("citus worker switchover " + round, mark);
            sleep(Duration.ofSeconds(1));
        }
        client.close();
        AgentNode worker = cluster.awaitHealthy(WORKERS, 2);
        System.out.printf("[scenario citus worker switchover x2] client statements through the coordinator: %d "
                        + "acknowledged, %d failed; longest statement %d ms%n", client.acknowledged().size(),
                client.failures(), client.longestMillis());
        // The decider demotes the worker primary only once citus-sync reports the group paused on the coordinator:
        // statements wait for the new primary instead of failing.
        assertThat(client.failures()).as("client statements that failed: " + client.errors()).isZero();
        assertThat(client.longestMillis()).as("longest statement (ms): paused, not failed").isLessThan(5_000);
        assertThat(CoordinatorClient.storedIds(flavor, citus(coordinator), citus(worker)))
                .as("every acknowledged row is there")
                .containsAll(client.acknowledged());
    }

    @Test
    @Order(4)
    void aRestartOfTheWorkerPrimaryIsInvisibleToClientsThroughTheCoordinator() {
        AgentNode coordinator = cluster.awaitHealthy(COORDINATORS, 2);
        AgentNode primary = cluster.awaitHealthy(WORKERS, 2);
        String primaryAddress = primaryOf(coordinator, 1);
        CoordinatorClient client = CoordinatorClient.start(citus(coordinator));
        sleep(Duration.ofSeconds(1));
        java.time.Instant asked = java.time.Instant.now();
        long startedBefore = postmasterStart(primary);
        post(primary.restUrl() + "/restart", "{}");
        Await.until(primary.name() + " to run again after its restart", TestCluster.TIMEOUT,
                () -> postmasterStart(primary) != startedBefore);
        AgentNode after = cluster.awaitHealthy(WORKERS, 2);
        sleep(Duration.ofSeconds(1));
        client.close();
        System.out.printf("[scenario citus worker primary restart] client statements through the coordinator: %d "
                        + "acknowledged, %d failed; longest statement %d ms%n", client.acknowledged().size(),
                client.failures(), client.longestMillis());
        assertThat(after.name()).as("the restarted primary stays the leader").isEqualTo(primary.name());
        assertThat(primaryOf(coordinator, 1)).isEqualTo(primaryAddress);
        assertThat(sync.lastPauseOf(1)).as("citus-sync paused group 1 for the restart")
                .hasValueSatisfying(at -> assertThat(at).isAfter(asked));
        assertThat(client.failures()).as("client statements that failed: " + client.errors()).isZero();
        assertThat(CoordinatorClient.storedIds(flavor, citus(coordinator), citus(after)))
                .as("every acknowledged row is there").containsAll(client.acknowledged());
    }

    @Test
    @Order(5)
    void aRestartedCitusSyncReplaysTheLogAndAppliesNothingTwice() {
        AgentNode coordinator = cluster.awaitHealthy(COORDINATORS, 2);
        List<String> before = rows(coordinator);
        Map<Integer, Long> positionsBefore = positions(coordinator);
        stopSync();
        startSync();

        Await.until("the restarted citus-sync to catch up", TestCluster.TIMEOUT, sync::isCaughtUp);
        sleep(Duration.ofSeconds(3));
        assertThat(sync.appliedPlans()).as("plans the restarted instance applied").isZero();
        assertThat(rows(coordinator)).isEqualTo(before);
        assertThat(positions(coordinator)).isEqualTo(positionsBefore);
    }

    @Test
    @Order(6)
    void aCoordinatorSwitchoverIsFollowed() {
        AgentNode oldCoordinator = cluster.awaitHealthy(COORDINATORS, 2);
        AgentNode worker = cluster.awaitHealthy(WORKERS, 2);
        String candidate = COORDINATORS.stream().filter(name -> !name.equals(oldCoordinator.name())).findFirst().orElseThrow();
        post(oldCoordinator.restUrl() + "/switchover",
                "{\"leader\": \"" + oldCoordinator.name() + "\", \"candidate\": \"" + candidate + "\"}");
        AgentNode newCoordinator = cluster.awaitHealthy(COORDINATORS, 2);
        assertThat(newCoordinator.name()).isEqualTo(candidate);

        List<String> expected = expectedRows(newCoordinator, worker);
        Await.until("pg_dist_node on the new coordinator to show " + expected, TestCluster.TIMEOUT,
                () -> rows(newCoordinator).equals(expected));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The log's records since {@code mark} (heartbeats left out), in log time from the first. */
    private static void printTimeline(String scenario, int mark) {
        List<LogRecord> records = cluster.log().records();
        long first = records.get(mark).timestamp().toEpochMilli();
        StringBuilder timeline = new StringBuilder();
        for (LogRecord record : records.subList(mark, records.size())) {
            if (record.event() instanceof io.steward.core.event.AgentEvent.MemberObserved) {
                continue;
            }
            timeline.append(String.format("%n  +%4d ms %s", record.timestamp().toEpochMilli() - first,
                    record.event() instanceof MemberStateChanged changed
                            ? "MemberStateChanged " + changed.member() + " " + changed.change()
                            : record.event().getClass().getSimpleName()));
        }
        System.out.printf("[scenario %s] the log:%s%n", scenario, timeline);
    }

    /** When the member's postmaster started, in epoch millis. */
    private static long postmasterStart(AgentNode member) {
        try {
            return Long.parseLong(member.sql().queryValue(
                    "SELECT (extract(epoch FROM pg_postmaster_start_time()) * 1000)::bigint"));
        } catch (RuntimeException e) {
            return -1; // not running now
        }
    }

    private static void startSync() {
        sync = new CitusSync(new CitusSyncConfig("citus-sync-it", "demo", "citus", 10_000, Duration.ofSeconds(30),
                cluster.kafka().bootstrapServers(), "steward.", Map.of(), null,
                new CitusSyncConfig.Login("postgres", AgentNode.SUPERUSER_PASSWORD, null)));
        syncThread = new Thread(sync, "citus-sync");
        syncThread.start();
    }

    private static void stopSync() {
        if (sync != null) {
            sync.close();
            try {
                syncThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The rows as "group host:port role", in group order, primaries first. */
    private static List<String> expectedRows(AgentNode coordinator, AgentNode worker) {
        List<String> rows = new java.util.ArrayList<>();
        for (var group : List.of(Map.entry(0, coordinator), Map.entry(1, worker))) {
            List<String> members = group.getKey() == 0 ? COORDINATORS : WORKERS;
            rows.add(group.getKey() + " 127.0.0.1:" + group.getValue().pgPort() + " primary");
            members.stream().filter(name -> !name.equals(group.getValue().name())).map(cluster::member)
                    .sorted(java.util.Comparator.comparing(agent -> "127.0.0.1:" + agent.pgPort()))
                    .forEach(agent -> rows.add(group.getKey() + " 127.0.0.1:" + agent.pgPort() + " secondary"));
        }
        return rows;
    }

    private static List<String> rows(AgentNode coordinator) {
        try {
            return citus(coordinator).queryColumn("SELECT groupid || ' ' || nodename || ':' || nodeport || ' ' || noderole "
                    + "FROM pg_dist_node ORDER BY groupid, noderole, nodename || ':' || nodeport");
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String primaryOf(AgentNode coordinator, int group) {
        return rows(coordinator).stream().filter(row -> row.startsWith(group + " ") && row.endsWith(" primary"))
                .map(row -> row.split(" ")[1]).findFirst().orElse("");
    }

    private static Map<Integer, Long> positions(AgentNode coordinator) {
        Map<Integer, Long> positions = new java.util.TreeMap<>();
        for (String row : citus(coordinator).queryColumn(
                "SELECT log_partition || ':' || log_offset FROM steward_citus_sync.applied")) {
            String[] parts = row.split(":");
            positions.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        }
        return positions;
    }

    private static Sql citus(AgentNode member) {
        return Sql.of("127.0.0.1", member.pgPort(), "citus", "postgres", AgentNode.SUPERUSER_PASSWORD);
    }

    private static void post(String url, String json) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(url)).timeout(Duration.ofSeconds(60))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST " + url + ": " + response.body()).isIn(200, 202);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
