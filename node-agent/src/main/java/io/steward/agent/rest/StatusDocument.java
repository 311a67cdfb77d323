package io.steward.agent.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import io.steward.agent.NodeAgent;
import io.steward.agent.config.AgentConfig;
import io.steward.core.model.Observation;

/** The member status document, with Patroni's field names ({@code GET /patroni}). */
final class StatusDocument {

    private StatusDocument() {
    }

    static Map<String, Object> of(NodeAgent agent, MemberStatus status) {
        AgentConfig config = agent.config();
        Observation observation = status.observation();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", observation.state().patroniName());
        if (observation.postmasterStartTime() != null) {
            body.put("postmaster_start_time", observation.postmasterStartTime().toString());
        }
        body.put("role", status.roleName());
        if (agent.serverVersion() > 0) {
            body.put("server_version", agent.serverVersion());
        }
        Map<String, Object> xlog = new LinkedHashMap<>();
        if (observation.writeLsn() != null) {
            xlog.put("location", observation.writeLsn().value());
        }
        if (observation.receiveLsn() != null) {
            xlog.put("received_location", observation.receiveLsn().value());
        }
        if (observation.replayLsn() != null) {
            xlog.put("replayed_location", observation.replayLsn().value());
            xlog.put("paused", false);
        }
        body.put("xlog", xlog);
        body.put("timeline", observation.timeline());
        if (!observation.replication().isEmpty()) {
            body.put("replication", status.replicationRows());
        }
        if (observation.replicationState() != null) {
            body.put("replication_state", observation.replicationState());
        }
        if (status.syncState() != null) {
            body.put("sync_state", status.syncState());
        }
        body.put("cluster_unlocked", false);
        body.put("leader_lease", status.holdsLease());
        body.put("tags", status.tags().asPatroniMap());
        if (observation.systemIdentifier() != null) {
            body.put("database_system_identifier", Long.toUnsignedString(observation.systemIdentifier()));
        }
        if (observation.pendingRestart()) {
            body.put("pending_restart", true);
            body.put("pending_restart_reason", observation.pendingRestartReasons());
        }
        if (observation.lagBytes() != null) {
            body.put("lag", observation.lagBytes());
        }
        if (observation.lagMillis() != null) {
            body.put("lag_seconds", observation.lagMillis() / 1000.0);
        }
        body.put("patroni", Map.of("version", "steward 0.1.0", "scope", config.scope(), "name", config.name()));
        return body;
    }
}
