package io.steward.testkit.citus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.testkit.Testbed;
import io.steward.testkit.postgres.PostgresNode;
import io.steward.testkit.postgres.Sql;

/**
 * The Citus stand-in on real PostgreSQL: loaded as Citus is, with {@code pg_dist_node}'s rules,
 * Citus's errors, and the locks that make statements routed to a worker group wait while its
 * primary is updated or paused. Against real Citus where it is installed, the same assertions hold.
 */
class CitusStandInIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static PostgresNode coordinator;
    private static PostgresNode worker1;
    private static PostgresNode worker2;

    @BeforeAll
    static void start() {
        CitusStandIn.ensureInstalled();
        coordinator = citusNode("coordinator");
        worker1 = citusNode("worker1");
        worker2 = citusNode("worker2");
        coordinator.sql().execute("CREATE EXTENSION citus", "CREATE EXTENSION IF NOT EXISTS dblink");
        for (PostgresNode worker : List.of(worker1, worker2)) {
            worker.sql().execute("CREATE EXTENSION citus", "CREATE TABLE items (id bigint PRIMARY KEY, note text)");
        }
    }

    private static PostgresNode citusNode(String name) {
        return testbed.postgres(name).setting("shared_preload_libraries", "citus")
                .setting("max_prepared_transactions", "20").setting("wal_level", "logical").start();
    }

    @BeforeEach
    void emptyMetadata() {
        coordinator.sql().execute("DROP TABLE IF EXISTS items", "DELETE FROM pg_dist_node");
        for (PostgresNode worker : List.of(worker1, worker2)) {
            worker.sql().execute("TRUNCATE items");
        }
    }

    @Test
    void loadsLikeCitusAndRegistersTheFieldGuidesTopology() {
        Sql sql = coordinator.sql();
        assertThat(sql.queryValue("SHOW shared_preload_libraries")).isEqualTo("citus");
        assertThat(sql.queryValue("SELECT extname FROM pg_extension WHERE extname = 'citus'")).isEqualTo("citus");

        sql.execute("SELECT citus_set_coordinator_host('10.0.0.1', 5432)",
                "SELECT citus_add_node('10.0.0.2', 5432, 0, 'secondary')",
                "SELECT citus_add_node('10.0.0.3', 5432, 0, 'secondary')",
                "SELECT citus_add_node('10.0.0.4', 5432, 1, 'primary')",
                "SELECT citus_add_secondary_node('10.0.0.5', 5432, '10.0.0.4', 5432)",
                "SELECT citus_add_node('10.0.0.6', 5432, 1, 'secondary')");

        assertThat(sql.queryColumn("SELECT concat_ws(' ', groupid, nodename, nodeport, noderole, nodecluster, "
                + "shouldhaveshards) FROM pg_dist_node ORDER BY nodeid")).containsExactly(
                "0 10.0.0.1 5432 primary default f",
                "0 10.0.0.2 5432 secondary default f",
                "0 10.0.0.3 5432 secondary default f",
                "1 10.0.0.4 5432 primary default t",
                "1 10.0.0.5 5432 secondary default t",
                "1 10.0.0.6 5432 secondary default t");
        assertThat(sql.queryColumn("SELECT attname FROM pg_attribute WHERE attrelid = 'pg_dist_node'::regclass "
                + "AND attnum > 0 ORDER BY attnum")).containsExactly("nodeid", "groupid", "nodename", "nodeport",
                "noderack", "hasmetadata", "isactive", "noderole", "nodecluster", "metadatasynced", "shouldhaveshards");
    }

    @Test
    void keepsPgDistNodesRulesWithCitussErrors() {
        Sql sql = coordinator.sql();
        String worker = sql.queryValue("SELECT citus_add_node('w1', 5432, 1, 'primary')");
        sql.execute("SELECT citus_add_node('w2', 5432, 1, 'secondary')");

        assertThat(sql.queryValue("SELECT citus_add_node('w1', 5432, 1, 'primary')")).as("adding twice").isEqualTo(worker);
        assertThatThrownBy(() -> sql.execute("SELECT citus_add_node('w3', 5432, 1, 'primary')"))
                .hasStackTraceContaining("there cannot be two primary nodes in a group");
        assertThatThrownBy(() -> sql.execute("SELECT citus_update_node(" + worker + ", 'w2', 5432)"))
                .hasStackTraceContaining("there is already another node with the specified hostname and port");
        assertThatThrownBy(() -> sql.execute("SELECT citus_update_node(999, 'w9', 5432)"))
                .hasStackTraceContaining("node 999 not found");
        assertThatThrownBy(() -> sql.execute("SELECT citus_remove_node('w9', 5432)"))
                .hasStackTraceContaining("does not exist");
        assertThatThrownBy(() -> sql.execute("SELECT citus_add_secondary_node('w4', 5432, 'nowhere', 5432)"))
                .hasStackTraceContaining("does not exist");

        // the swap through a temporary name that the planner relies on, in one transaction
        sql.execute("BEGIN; SELECT citus_update_node((SELECT nodeid FROM pg_dist_node WHERE nodename = 'w2'), "
                + "'w2-demoted', 5432); SELECT citus_update_node(" + worker + ", 'w2', 5432); "
                + "SELECT citus_update_node((SELECT nodeid FROM pg_dist_node WHERE nodename = 'w2-demoted'), 'w1', 5432); "
                + "COMMIT");
        assertThat(sql.queryColumn("SELECT nodeid || ' ' || nodename || ' ' || noderole FROM pg_dist_node ORDER BY nodeid"))
                .containsExactly(worker + " w2 primary", (Integer.parseInt(worker) + 1) + " w1 secondary");
    }

    @Test
    void statementsThroughTheCoordinatorWaitWhileTheGroupIsPausedAndGoToTheNewPrimary() throws Exception {
        String worker = registerWorker1AndDistribute();
        insertThroughCoordinator(1);
        assertThat(worker1.sql().queryValue("SELECT count(*) FROM items")).isEqualTo("1");

        try (Connection pause = coordinator.sql().connect(); Statement statement = pause.createStatement()) {
            pause.setAutoCommit(false);
            statement.execute("SELECT citus_pause_node_within_txn(" + worker + ")");
            CompletableFuture<Long> insert = CompletableFuture.supplyAsync(() -> timed(() -> insertThroughCoordinator(2)));
            Thread.sleep(500);
            assertThat(insert).as("the insert waits while the group is paused").isNotDone();

            statement.execute("SELECT citus_update_node(" + worker + ", '127.0.0.1', " + worker2.port() + ")");
            pause.commit();
            long waited = insert.get(10, TimeUnit.SECONDS);
            assertThat(waited).as("ms the insert waited").isGreaterThanOrEqualTo(450);
        }
        assertThat(worker2.sql().queryValue("SELECT count(*) FROM items")).as("on the new primary").isEqualTo("1");
        assertThat(worker1.sql().queryValue("SELECT count(*) FROM items")).as("not on the old one").isEqualTo("1");
    }

    @Test
    void updatingAPrimaryWaitsForOpenStatementsUnlessForced() throws Exception {
        String worker = registerWorker1AndDistribute();
        try (Connection open = coordinator.sql().connect(); Statement statement = open.createStatement()) {
            open.setAutoCommit(false);
            statement.execute("INSERT INTO items VALUES (10, 'in an open transaction')");

            CompletableFuture<Long> unforced = CompletableFuture.supplyAsync(() -> timed(() -> coordinator.sql().execute(
                    "SET lock_timeout = '300ms'", "SELECT citus_update_node(" + worker + ", 'elsewhere', 5432)")));
            assertThatThrownBy(() -> unforced.get(10, TimeUnit.SECONDS)).as("without force it waits (here: times out)")
                    .hasStackTraceContaining("lock timeout");

            long forced = timed(() -> coordinator.sql().execute(
                    "SELECT citus_update_node(" + worker + ", 'elsewhere', 5432, true, 200)"));
            assertThat(forced).as("ms until the forced update went through").isBetween(150L, 5_000L);
            assertThatThrownBy(() -> statement.execute("COMMIT")).as("the blocking backend was terminated")
                    .isInstanceOf(SQLException.class);
        }
        assertThat(coordinator.sql().queryValue("SELECT nodename FROM pg_dist_node WHERE nodeid = " + worker))
                .isEqualTo("elsewhere");
    }

    private String registerWorker1AndDistribute() {
        Sql sql = coordinator.sql();
        sql.execute("SELECT citus_set_coordinator_host('127.0.0.1', " + coordinator.port() + ")");
        String worker = sql.queryValue("SELECT citus_add_node('127.0.0.1', " + worker1.port() + ", 1, 'primary')");
        sql.execute("CREATE TABLE items (id bigint PRIMARY KEY, note text)",
                "SELECT create_distributed_table('items', 'id')");
        return worker;
    }

    private static void insertThroughCoordinator(long id) {
        coordinator.sql().execute("INSERT INTO items VALUES (" + id + ", 'through the coordinator')");
    }

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
