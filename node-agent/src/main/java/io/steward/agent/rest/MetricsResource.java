package io.steward.agent.rest;

import java.util.Locale;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import io.steward.agent.NodeAgent;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;

/**
 * {@code GET /metrics} in Prometheus' text format: Patroni's metric names (so existing dashboards
 * and alerts keep working), plus the replication lag in bytes and seconds, which Patroni lacks.
 */
@Path("/metrics")
public final class MetricsResource {

    private final NodeAgent agent;

    public MetricsResource(NodeAgent agent) {
        this.agent = agent;
    }

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String metrics() {
        MemberStatus status = agent.status();
        Observation observation = status.observation();
        String labels = "{scope=\"" + escape(agent.config().scope()) + "\",name=\"" + escape(agent.config().name()) + "\"}";
        StringBuilder out = new StringBuilder();
        gauge(out, "patroni_version", "Steward's version as Patroni's: major, minor and patch, two digits each.", labels, 100);
        gauge(out, "patroni_postgres_running", "Whether PostgreSQL is running.", labels, status.running() ? 1 : 0);
        gauge(out, "patroni_postmaster_start_time", "When the postmaster started, in epoch seconds.", labels,
                observation.postmasterStartTime() == null ? 0 : observation.postmasterStartTime().getEpochSecond());
        gauge(out, "patroni_primary", "Whether this member is the primary, holding the leader lease.", labels,
                status.isPrimary() ? 1 : 0);
        gauge(out, "patroni_xlog_location", "The primary's current WAL position, in bytes.", labels,
                observation.writeLsn() == null ? 0 : observation.writeLsn().value());
        gauge(out, "patroni_standby_leader", "Whether this member is a standby leader (standby clusters: never).", labels, 0);
        gauge(out, "patroni_replica", "Whether this member is a running replica.", labels, status.isReplica() ? 1 : 0);
        gauge(out, "patroni_sync_standby", "Whether this replica is a synchronous standby.", labels,
                "sync".equals(status.syncState()) ? 1 : 0);
        gauge(out, "patroni_quorum_standby", "Whether this replica is a quorum standby.", labels,
                "quorum".equals(status.syncState()) ? 1 : 0);
        gauge(out, "patroni_xlog_received_location", "The last WAL position received, in bytes.", labels,
                observation.receiveLsn() == null ? 0 : observation.receiveLsn().value());
        gauge(out, "patroni_xlog_replayed_location", "The last WAL position replayed, in bytes.", labels,
                observation.replayLsn() == null ? 0 : observation.replayLsn().value());
        gauge(out, "patroni_xlog_paused", "Whether WAL replay is paused.", labels, 0);
        gauge(out, "patroni_postgres_streaming", "Whether this replica streams from its upstream.", labels,
                "streaming".equals(observation.replicationState()) ? 1 : 0);
        gauge(out, "patroni_postgres_in_archive_recovery", "Whether this replica replays archived WAL only.", labels,
                "in archive recovery".equals(observation.replicationState()) ? 1 : 0);
        gauge(out, "patroni_postgres_server_version", "PostgreSQL's version number.", labels, agent.serverVersion());
        gauge(out, "patroni_cluster_unlocked", "Whether the group has no leader (as seen by this member).", labels, 0);
        gauge(out, "patroni_pending_restart", "Whether a changed setting waits for a restart.", labels,
                observation.pendingRestart() ? 1 : 0);
        gauge(out, "patroni_postgres_timeline", "PostgreSQL's timeline.", labels, observation.timeline());
        gauge(out, "patroni_postgres_state", "PostgreSQL's state, numbered as Patroni numbers it (5 running).", labels,
                observation.state().metricValue());
        gauge(out, "patroni_failover_priority", "The failover priority; 0 means never promoted.", labels,
                status.tags().effectiveFailoverPriority());
        gauge(out, "steward_replication_lag_bytes", "How far this replica's replay is behind its upstream, in bytes.",
                labels, observation.lagBytes() == null ? 0 : observation.lagBytes());
        gauge(out, "steward_replication_lag_seconds", "How long ago the last replayed transaction committed upstream.",
                labels, observation.lagMillis() == null ? 0 : observation.lagMillis() / 1000.0);
        gauge(out, "steward_leader_lease", "Whether this member holds the leader lease.", labels, status.holdsLease() ? 1 : 0);
        gauge(out, "steward_postgres_crashed", "Whether PostgreSQL stopped without the agent stopping it.", labels,
                observation.state() == PgState.CRASHED ? 1 : 0);
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(labels).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(String.format(Locale.ROOT, "%.3f", value));
        }
        out.append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
