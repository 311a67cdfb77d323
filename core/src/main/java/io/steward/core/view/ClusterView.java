package io.steward.core.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steward.core.event.OperatorRequest;
import io.steward.core.model.Lsn;
import io.steward.core.model.MemberState;
import io.steward.core.model.Observation;
import io.steward.core.model.Role;
import io.steward.core.state.GroupState;
import io.steward.core.state.HistoryEntry;
import io.steward.core.state.ScheduledAction;
import io.steward.core.state.Transition;

/**
 * The folded state as Patroni's {@code GET /cluster} and {@code GET /history} show it, so tools
 * written for Patroni (and {@code stewardctl}) read it unchanged: member rows with {@code role},
 * {@code state}, {@code timeline}, {@code lag}; {@code pause}; {@code scheduled_switchover}; and the
 * history as {@code [timeline, lsn, reason, timestamp, new_leader]} rows. The decider's API and the
 * audit UI (for any instant of the log) show the same view.
 */
public final class ClusterView {

    private ClusterView() {
    }

    /** One scope: every group's members (with {@code group} for Citus), pause, scheduled actions. */
    public static Map<String, Object> cluster(String scope, List<GroupState> groups) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("scope", scope);
        List<Map<String, Object>> members = new ArrayList<>();
        boolean paused = false;
        for (GroupState group : groups) {
            paused |= group.paused();
            for (MemberState member : group.members().values()) {
                members.add(member(group, member, groups.size() > 1 || group.id().group() != 0));
            }
            if (group.transition() != null) {
                view.put("leader_change", transition(group));
            }
            ScheduledAction switchover = group.scheduled().get(OperatorRequest.ActionKind.SWITCHOVER);
            if (switchover != null && switchover.request() instanceof OperatorRequest.SwitchoverRequested request) {
                Map<String, Object> scheduled = new LinkedHashMap<>();
                scheduled.put("at", switchover.at().toString());
                scheduled.put("from", request.leader());
                if (request.candidate() != null) {
                    scheduled.put("to", request.candidate());
                }
                if (group.id().group() != 0) {
                    scheduled.put("group", group.id().group());
                }
                view.put("scheduled_switchover", scheduled);
            }
        }
        view.put("members", members);
        if (paused) {
            view.put("pause", true);
        }
        return view;
    }

    private static Map<String, Object> member(GroupState group, MemberState member, boolean withGroup) {
        Observation observation = member.observation();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", member.name());
        row.put("role", role(group, member));
        row.put("state", state(member));
        row.put("api_url", member.info().endpoints().apiUrl());
        row.put("host", member.info().endpoints().host());
        row.put("port", member.info().endpoints().port());
        if (observation.timeline() > 0) {
            row.put("timeline", observation.timeline());
        }
        if (!member.name().equals(group.leader())) {
            Object lag = lag(group, observation);
            row.put("lag", lag);
            if (observation.receiveLsn() != null) {
                row.put("receive_lsn", observation.receiveLsn().toString());
            }
            if (observation.replayLsn() != null) {
                row.put("replay_lsn", observation.replayLsn().toString());
            }
        } else if (observation.writeLsn() != null) {
            row.put("lsn", observation.writeLsn().toString());
        }
        if (observation.pendingRestart()) {
            row.put("pending_restart", true);
            row.put("pending_restart_reason", observation.pendingRestartReasons());
        }
        Map<String, Object> tags = member.info().tags().asPatroniMap();
        if (!tags.isEmpty()) {
            row.put("tags", tags);
        }
        if (withGroup) {
            row.put("group", group.id().group());
        }
        return row;
    }

    /** Patroni's word: a running replica shows how it replicates ("streaming", "in archive recovery"). */
    private static String state(MemberState member) {
        Observation observation = member.observation();
        if (member.failedReason() != null) {
            return "failed";
        }
        if (observation.isRunningReplica() && observation.replicationState() != null) {
            return observation.replicationState();
        }
        return observation.state().patroniName();
    }

    private static String role(GroupState group, MemberState member) {
        if (member.name().equals(group.leader())) {
            return "leader";
        }
        if (group.sync().standbys().contains(member.name())) {
            return group.config().synchronousMode() == io.steward.core.config.DynamicConfig.SynchronousMode.QUORUM
                    ? "quorum_standby" : "sync_standby";
        }
        return member.observation().role() == Role.PRIMARY ? "primary" : "replica";
    }

    /** Bytes behind the leader's position, or "unknown" (Patroni's word) when it cannot be told. */
    private static Object lag(GroupState group, Observation observation) {
        if (observation.lagBytes() != null) {
            return observation.lagBytes();
        }
        Lsn leader = group.leaderMember().map(m -> m.observation().writeLsn()).orElse(null);
        Lsn position = observation.walPosition();
        return leader == null || position == null ? "unknown" : Math.max(0, leader.bytesAfter(position));
    }

    /** A change of leader in progress: what kind, from whom, to whom, since when. */
    private static Map<String, Object> transition(GroupState group) {
        Map<String, Object> change = new LinkedHashMap<>();
        switch (group.transition()) {
            case Transition.Demotion demotion -> {
                change.put("kind", demotion.kind().name().toLowerCase());
                change.put("step", "demoting");
                change.put("from", demotion.from());
                change.put("to", demotion.to());
                change.put("since", demotion.startedAt() == null ? null : demotion.startedAt().toString());
            }
            case Transition.Promotion promotion -> {
                change.put("kind", promotion.kind().name().toLowerCase());
                change.put("step", "promoting");
                change.put("from", promotion.from());
                change.put("to", promotion.to());
                change.put("since", promotion.startedAt() == null ? null : promotion.startedAt().toString());
            }
        }
        if (group.id().group() != 0) {
            change.put("group", group.id().group());
        }
        return change;
    }

    /** Patroni's history rows: {@code [timeline, lsn, reason, timestamp, new_leader]}, plus who asked. */
    public static List<List<Object>> history(GroupState group) {
        List<List<Object>> rows = new ArrayList<>();
        for (HistoryEntry entry : group.history()) {
            List<Object> row = new ArrayList<>();
            row.add(entry.timeline());
            row.add(entry.lsn() == null ? 0 : entry.lsn().value());
            row.add(entry.reason());
            row.add(entry.at() == null ? null : entry.at().toString());
            row.add(entry.newLeader());
            row.add(entry.oldLeader());
            row.add(entry.actor());
            rows.add(row);
        }
        return rows;
    }
}
