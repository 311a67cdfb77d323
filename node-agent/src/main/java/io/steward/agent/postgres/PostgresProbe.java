package io.steward.agent.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.Role;

/**
 * Looks at the local instance and says what it sees, one short method per probe query, read-only.
 * A running instance is asked over SQL, on one connection kept open between observations (opening
 * one a second, with its authentication, cost more than all the queries); a stopped one is read
 * from pg_controldata. Thread-safe.
 */
public final class PostgresProbe {

    private final PostgresController controller;
    private final KeptConnection kept;

    public PostgresProbe(PostgresController controller) {
        this.controller = controller;
        this.kept = new KeptConnection(controller::connect);
    }

    /**
     * The instance now.
     *
     * @param expectedDown the agent stopped it on purpose (so "not running" is STOPPED, not CRASHED)
     * @param configVersion the dynamic configuration version applied
     * @param commandLine   the settings the postmaster's command line carries when started now: one
     *                      that differs from the running value waits for a restart, as in Patroni
     */
    public Observation observe(boolean expectedDown, long configVersion, Map<String, String> commandLine) {
        if (!controller.hasData()) {
            return new Observation(Role.UNINITIALIZED, PgState.UNINITIALIZED, 0, null, null, null, null, null, null,
                    false, Map.of(), List.of(), null, null, null, configVersion, null, null);
        }
        if (controller.isRunning()) {
            Observation running = askRunning(configVersion, commandLine);
            if (running != null) {
                return running;
            }
            return stopped(PgState.STARTING, configVersion);
        }
        release();
        return stopped(expectedDown ? PgState.STOPPED : PgState.CRASHED, configVersion);
    }

    /** Asks the running instance on the kept connection (opened again when it broke); null when it does not answer. */
    private Observation askRunning(long configVersion, Map<String, String> commandLine) {
        try {
            return kept.use(statement -> running(statement.getConnection(), configVersion, commandLine));
        } catch (SQLException e) {
            return null;
        }
    }

    /** Closes the kept connection, if any. */
    public void release() {
        kept.close();
    }

    private Observation running(Connection connection, long configVersion, Map<String, String> commandLine)
            throws SQLException {
        boolean recovery = "t".equals(value(connection, "SELECT pg_is_in_recovery()"));
        long systemIdentifier = Long.parseLong(value(connection, "SELECT system_identifier FROM pg_control_system()"));
        Instant started = Instant.parse(value(connection,
                "SELECT to_char(pg_postmaster_start_time() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"));
        Map<String, String> pending = pendingRestart(connection, commandLine);
        String ssn = value(connection, "SHOW synchronous_standby_names");
        if (!recovery) {
            Lsn write = lsn(value(connection, "SELECT pg_current_wal_lsn()"));
            Lsn flush = lsn(value(connection, "SELECT pg_current_wal_flush_lsn()"));
            int timeline = Integer.parseInt(value(connection, PostgresController.PRIMARY_TIMELINE));
            return new Observation(Role.PRIMARY, PgState.RUNNING, timeline, write, flush, null, null, null, null,
                    !pending.isEmpty(), pending, replication(connection), systemIdentifier, ssn, started, configVersion,
                    null, null);
        }
        Lsn receive = lsn(value(connection, "SELECT pg_last_wal_receive_lsn()"));
        Lsn replay = lsn(value(connection, "SELECT pg_last_wal_replay_lsn()"));
        String streaming = value(connection, "SELECT status FROM pg_stat_wal_receiver");
        String receivedTimeline = value(connection, "SELECT received_tli FROM pg_stat_wal_receiver");
        int timeline = receivedTimeline != null ? Integer.parseInt(receivedTimeline)
                : Integer.parseInt(value(connection, "SELECT timeline_id FROM pg_control_checkpoint()"));
        String latestEnd = value(connection, "SELECT latest_end_lsn FROM pg_stat_wal_receiver");
        Long lagBytes = latestEnd == null || replay == null ? null : Lsn.parse(latestEnd).bytesAfter(replay);
        String lagMillis = value(connection, "SELECT (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)"
                + "::bigint");
        var upstream = controller.upstream();
        return new Observation(Role.REPLICA, PgState.RUNNING, timeline, null, null, receive, replay,
                "streaming".equals(streaming) ? "streaming" : "in archive recovery",
                upstream == null ? null : upstream.member(), !pending.isEmpty(), pending, List.of(), systemIdentifier, ssn,
                started, configVersion, lagBytes, lagMillis == null ? null : Long.parseLong(lagMillis));
    }

    private Observation stopped(PgState state, long configVersion) {
        Map<String, String> control = controller.controlData();
        String clusterState = control.getOrDefault("Database cluster state", "");
        Role role = controller.isConfiguredAsStandby() || clusterState.contains("recovery") ? Role.REPLICA : Role.PRIMARY;
        String checkpoint = control.get("Latest checkpoint location");
        String timeline = control.get("Latest checkpoint's TimeLineID");
        String systemIdentifier = control.get("Database system identifier");
        Lsn position = checkpoint == null ? null : Lsn.parse(checkpoint);
        String minRecovery = control.get("Minimum recovery ending location");
        if (role == Role.REPLICA && minRecovery != null) {
            position = Lsn.max(position, Lsn.parse(minRecovery));
        }
        var upstream = controller.upstream();
        return new Observation(role, state, timeline == null ? 0 : Integer.parseInt(timeline),
                role == Role.PRIMARY ? position : null, role == Role.PRIMARY ? position : null,
                role == Role.REPLICA ? position : null, role == Role.REPLICA ? position : null, null,
                role == Role.REPLICA && upstream != null ? upstream.member() : null, false, Map.of(), List.of(),
                systemIdentifier == null ? null : Long.parseUnsignedLong(systemIdentifier), null, null, configVersion,
                null, null);
    }

    private static List<ReplicationPeer> replication(Connection connection) throws SQLException {
        List<ReplicationPeer> peers = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT application_name, state, sync_state, flush_lsn, replay_lsn FROM pg_stat_replication "
                        + "ORDER BY application_name")) {
            while (rows.next()) {
                peers.add(new ReplicationPeer(rows.getString(1), rows.getString(2), rows.getString(3),
                        lsn(rows.getString(4)), lsn(rows.getString(5))));
            }
        }
        return peers;
    }

    /**
     * Settings that wait for a restart: changed in the files (PostgreSQL knows), or changed for the
     * command line, which only a restart brings in (compared here, PostgreSQL cannot know).
     */
    private static Map<String, String> pendingRestart(Connection connection, Map<String, String> commandLine)
            throws SQLException {
        Map<String, String> pending = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT s.name, s.setting || coalesce(s.unit, ''), (SELECT f.setting FROM pg_file_settings f "
                        + "WHERE f.name = s.name ORDER BY f.seqno DESC LIMIT 1) FROM pg_settings s WHERE s.pending_restart")) {
            while (rows.next()) {
                pending.put(rows.getString(1), rows.getString(2) + " -> " + rows.getString(3));
            }
        }
        if (commandLine.isEmpty()) {
            return pending;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT name, setting, vartype FROM pg_settings WHERE name = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text", commandLine.keySet().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    String running = rows.getString(2);
                    String wanted = commandLine.get(name);
                    if (!sameSetting(running, wanted, rows.getString(3))) {
                        pending.put(name, running + " -> " + wanted);
                    }
                }
            }
        }
        return pending;
    }

    /** Whether a configured value means the running one (booleans in any of PostgreSQL's spellings). */
    static boolean sameSetting(String running, String wanted, String type) {
        if (wanted == null) {
            return true;
        }
        String value = wanted.strip();
        if ("bool".equals(type)) {
            return running.equalsIgnoreCase(switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true", "yes", "1", "t", "y" -> "on";
                case "off", "false", "no", "0", "f", "n" -> "off";
                default -> value;
            });
        }
        return running.equalsIgnoreCase(value);
    }

    private static String value(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static Lsn lsn(String text) {
        return text == null ? null : Lsn.parse(text);
    }
}
