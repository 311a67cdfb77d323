package io.steward.citus.coordinator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.steward.citus.config.CitusSyncConfig;
import io.steward.core.citus.CitusCall;
import io.steward.core.citus.DistNode;
import io.steward.core.citus.NodeAddress;
import io.steward.core.citus.NodeRole;

/**
 * The Citus coordinator as citus-sync sees it: its {@code pg_dist_node}, and plans run there in one
 * transaction together with the log positions they cover (table
 * {@code steward_citus_sync.applied}, replicated with the coordinator, so a new coordinator
 * primary knows what was applied). One connection, kept while the coordinator's leader stays the
 * same. Not thread-safe.
 */
public final class Coordinator implements AutoCloseable {

    /** What became of a plan. */
    public enum Outcome {
        /** Committed. */
        APPLIED,
        /** Not run: the coordinator already holds a plan from further along the log. */
        STALE
    }

    private final CitusSyncConfig config;
    private NodeAddress connectedTo;
    private Connection connection;

    public Coordinator(CitusSyncConfig config) {
        this.config = config;
    }

    /** The rows Steward manages: primaries and secondaries of the default cluster. */
    public List<DistNode> rows(NodeAddress coordinator) throws SQLException {
        return rows(connection(coordinator));
    }

    private static List<DistNode> rows(Connection c) throws SQLException {
        List<DistNode> rows = new ArrayList<>();
        try (Statement statement = c.createStatement(); ResultSet result = statement.executeQuery(
                "SELECT nodeid, groupid, nodename, nodeport, noderole::text FROM pg_catalog.pg_dist_node "
                        + "WHERE noderole IN ('primary', 'secondary') AND nodecluster = 'default' ORDER BY nodeid")) {
            while (result.next()) {
                rows.add(new DistNode(result.getInt(1), result.getInt(2), result.getString(3), result.getInt(4),
                        NodeRole.parse(result.getString(5))));
            }
        }
        return rows;
    }

    /** The log positions of the last plan applied, by partition. */
    public Map<Integer, Long> appliedPositions(NodeAddress coordinator) throws SQLException {
        Map<Integer, Long> positions = new TreeMap<>();
        try (Statement statement = connection(coordinator).createStatement(); ResultSet result = statement.executeQuery(
                "SELECT log_partition, log_offset FROM steward_citus_sync.applied WHERE "
                        + "to_regclass('steward_citus_sync.applied') IS NOT NULL")) {
            while (result.next()) {
                positions.put(result.getInt(1), result.getLong(2));
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState()) && !"3F000".equals(e.getSQLState())) {
                throw e;
            }
        }
        return positions;
    }

    /**
     * Runs {@code calls} and records {@code positions} in one transaction, unless the coordinator
     * already holds positions further along the log for some partition (another instance, or this
     * one before a restart, applied a later topology): then nothing is run.
     */
    public Outcome apply(NodeAddress coordinator, List<CitusCall> calls, Map<Integer, Long> positions, String instance)
            throws SQLException {
        Connection c = connection(coordinator);
        c.setAutoCommit(false);
        try {
            return applyIn(c, calls, positions, instance);
        } finally {
            if (connection != null) {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    reset();
                }
            }
        }
    }

    /** Runs the plan in the open transaction of {@code c} and commits it (or rolls it back). */
    private static Outcome applyIn(Connection c, List<CitusCall> calls, Map<Integer, Long> positions, String instance)
            throws SQLException {
        try {
            try (Statement statement = c.createStatement()) {
                // local bookkeeping: not for Citus to propagate to the workers (some may be down)
                statement.execute("SET LOCAL citus.enable_ddl_propagation TO off");
                statement.execute("CREATE SCHEMA IF NOT EXISTS steward_citus_sync");
                statement.execute("CREATE TABLE IF NOT EXISTS steward_citus_sync.applied (log_partition int PRIMARY KEY, "
                        + "log_offset bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text)");
                statement.execute("LOCK TABLE steward_citus_sync.applied IN EXCLUSIVE MODE");
            }
            if (isStale(c, positions)) {
                c.rollback();
                return Outcome.STALE;
            }
            for (CitusCall call : calls) {
                run(c, call);
            }
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO steward_citus_sync.applied "
                    + "(log_partition, log_offset, applied_by) VALUES (?, ?, ?) ON CONFLICT (log_partition) DO UPDATE "
                    + "SET log_offset = EXCLUDED.log_offset, applied_at = now(), applied_by = EXCLUDED.applied_by")) {
                for (Map.Entry<Integer, Long> position : positions.entrySet()) {
                    upsert.setInt(1, position.getKey());
                    upsert.setLong(2, position.getValue());
                    upsert.setString(3, instance);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            c.commit();
            return Outcome.APPLIED;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    /**
     * A transaction on the coordinator that holds a worker group's primary paused
     * ({@code citus_pause_node_within_txn}): statements through the coordinator to that group wait
     * until it ends. It ends by {@link #complete} (the new primary written in, then COMMIT) or
     * {@link #close} (ROLLBACK: statements go on to the old primary). Its own connection.
     */
    public final class Pause implements AutoCloseable {
        private final Connection connection;
        private final int group;
        private final NodeAddress pausedPrimary;
        private final long startedNanos = System.nanoTime();
        private final long waitedMillis;

        private Pause(Connection connection, int group, NodeAddress pausedPrimary, long waitedMillis) {
            this.connection = connection;
            this.group = group;
            this.pausedPrimary = pausedPrimary;
            this.waitedMillis = waitedMillis;
        }

        /** How long taking the pause waited for statements in flight. */
        public long waitedMillis() {
            return waitedMillis;
        }

        public int group() {
            return group;
        }

        /** The primary row's address when the pause began. */
        public NodeAddress pausedPrimary() {
            return pausedPrimary;
        }

        /** How long it has held the group. */
        public java.time.Duration held() {
            return java.time.Duration.ofNanos(System.nanoTime() - startedNanos);
        }

        /** The rows as this transaction sees them. */
        public List<DistNode> rows() throws SQLException {
            return Coordinator.rows(connection);
        }

        /** Runs the plan and commits, releasing the statements that waited. */
        public Outcome complete(List<CitusCall> calls, Map<Integer, Long> positions, String instance) throws SQLException {
            try {
                return applyIn(connection, calls, positions, instance);
            } finally {
                close();
            }
        }

        /** Rolls back (if still open) and closes its connection. */
        @Override
        public void close() {
            rollbackQuietly(connection);
            try {
                connection.close();
            } catch (SQLException ignored) {
                // going away either way
            }
        }
    }

    /**
     * Pauses worker group {@code group} on the coordinator; null when it has no primary row. Waits
     * up to {@code lockCooldownMillis} for statements holding the group, then terminates them (they
     * were talking to a primary that is going away).
     */
    public Pause pause(NodeAddress coordinator, int group, int lockCooldownMillis) throws SQLException {
        Connection c = open(coordinator);
        try {
            c.setAutoCommit(false);
            DistNode primary = Coordinator.rows(c).stream()
                    .filter(row -> row.groupId() == group && row.role() == NodeRole.PRIMARY).findFirst().orElse(null);
            if (primary == null) {
                c.close();
                return null;
            }
            long start = System.nanoTime();
            execute(c, "SELECT pg_catalog.citus_pause_node_within_txn(?, true, ?)", primary.nodeId(), lockCooldownMillis);
            return new Pause(c, group, primary.address(), (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            c.close();
            throw e;
        }
    }

    private static boolean isStale(Connection c, Map<Integer, Long> positions) throws SQLException {
        try (Statement statement = c.createStatement(); ResultSet result = statement.executeQuery(
                "SELECT log_partition, log_offset FROM steward_citus_sync.applied")) {
            while (result.next()) {
                Long ours = positions.get(result.getInt(1));
                if (ours != null && result.getLong(2) > ours) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Runs one call with its arguments bound as parameters. */
    static void run(Connection c, CitusCall call) throws SQLException {
        switch (call) {
            case CitusCall.AddNode add -> execute(c, "SELECT pg_catalog.citus_add_node(?, ?, ?, ?::pg_catalog.noderole, 'default')",
                    add.address().host(), add.address().port(), add.groupId(), add.role().sql());
            case CitusCall.AddSecondaryNode add -> execute(c,
                    "SELECT pg_catalog.citus_add_secondary_node(?, ?, ?, ?, 'default')", add.address().host(),
                    add.address().port(), add.primary().host(), add.primary().port());
            case CitusCall.UpdateNode update -> execute(c, "SELECT pg_catalog.citus_update_node(?, ?, ?, ?, ?)",
                    update.nodeId(), update.to().host(), update.to().port(), update.force(), update.lockCooldownMillis());
            case CitusCall.RemoveNode remove -> execute(c, "SELECT pg_catalog.citus_remove_node(?, ?)",
                    remove.address().host(), remove.address().port());
        }
    }

    private static void execute(Connection c, String sql, Object... arguments) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            statement.execute();
        }
    }

    private Connection connection(NodeAddress coordinator) throws SQLException {
        if (connection != null && coordinator.equals(connectedTo) && connection.isValid(2)) {
            return connection;
        }
        reset();
        connection = open(coordinator);
        connectedTo = coordinator;
        return connection;
    }

    private Connection open(NodeAddress coordinator) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.superuser().username());
        if (config.superuser().password() != null) {
            properties.setProperty("password", config.superuser().password());
        }
        if (config.superuser().sslmode() != null) {
            properties.setProperty("sslmode", config.superuser().sslmode());
        }
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("socketTimeout", "120");
        properties.setProperty("ApplicationName", "steward-citus-sync");
        // as Patroni: a plan may wait for locks, and a paused group holds a transaction open
        properties.setProperty("options", "-c statement_timeout=0 -c idle_in_transaction_session_timeout=0");
        return DriverManager.getConnection("jdbc:postgresql://" + coordinator.host() + ":" + coordinator.port()
                + "/" + config.database(), properties);
    }

    /** Drops the connection (after an error, or when the coordinator's leader changed). */
    public void reset() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // going away either way
            }
        }
        connection = null;
        connectedTo = null;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is reset by the caller's next use
        }
    }

    @Override
    public void close() {
        reset();
    }
}
