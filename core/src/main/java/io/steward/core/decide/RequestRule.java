package io.steward.core.decide;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.steward.core.command.Command;
import io.steward.core.config.ConfigTree;
import io.steward.core.config.DynamicConfig;
import io.steward.core.event.DeciderEvent.ClusterRemoved;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.core.event.DeciderEvent.PlannedStop;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.DeciderEvent.ScheduledActionCancelled;
import io.steward.core.event.DeciderEvent.ScheduledActionSet;
import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.event.OperatorRequest.CancelScheduledRequested;
import io.steward.core.event.OperatorRequest.ConfigurationPatchRequested;
import io.steward.core.event.OperatorRequest.FailoverRequested;
import io.steward.core.event.OperatorRequest.PauseRequested;
import io.steward.core.event.OperatorRequest.ReinitializeRequested;
import io.steward.core.event.OperatorRequest.ReloadRequested;
import io.steward.core.event.OperatorRequest.RemoveClusterRequested;
import io.steward.core.event.OperatorRequest.RestartRequested;
import io.steward.core.event.OperatorRequest.ResumeRequested;
import io.steward.core.event.OperatorRequest.RoleFilter;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;
import io.steward.core.model.MemberState;
import io.steward.core.model.SlotNames;
import io.steward.core.request.RequestBodies;
import io.steward.core.state.OpenRequest;

/**
 * Answers operator requests, oldest first, one per decision. Every request gets a
 * {@link RequestAnswered} with an HTTP status as Patroni would give it, so the REST caller, the
 * CLI and the audit all see the same verdict and reason.
 */
final class RequestRule {

    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");
    /** The most digits a part of a version may have: {@link RequestBodies} accepts no more. */
    private static final int MAX_VERSION_DIGITS = RequestBodies.MAX_VERSION_PART_DIGITS;

    private RequestRule() {
    }

    /** What was done or what the oldest request waits for; null when no request is open. */
    static String apply(DecisionContext context) {
        if (context.group.requests().isEmpty()) {
            return null;
        }
        OpenRequest open = context.group.requests().get(0);
        return switch (open.request()) {
            case SwitchoverRequested request -> SwitchoverRequests.switchover(context, open, request);
            case FailoverRequested request -> SwitchoverRequests.failover(context, open, request);
            case RestartRequested request -> restart(context, request);
            case ReloadRequested request -> reload(context, request);
            case ReinitializeRequested request -> reinitialize(context, request);
            case PauseRequested request -> maintenance(context, request, true);
            case ResumeRequested request -> maintenance(context, request, false);
            case ConfigurationPatchRequested request -> patch(context, request);
            case RemoveClusterRequested request -> remove(context, request);
            case CancelScheduledRequested request -> cancel(context, request);
        };
    }

    /** Records the answer to {@code request}; returns the message. */
    static String answer(DecisionContext context, OperatorRequest request, int status, String message) {
        context.emit(new RequestAnswered(context.epoch(), context.group.id(), request.requestId(), status, message));
        return request.kind() + " by " + request.header().actor() + ": " + status + " " + message;
    }

    /** Drops a scheduled action with a reason. */
    static String cancelScheduled(DecisionContext context, ActionKind kind, OperatorRequest request, String reason) {
        context.emit(new ScheduledActionCancelled(context.epoch(), context.group.id(), kind, request.requestId(), reason));
        return reason;
    }

    // ---- restart and reload ------------------------------------------------------------------

    private static String restart(DecisionContext context, RestartRequested request) {
        List<String> unknown = unknownMembers(context, request.members());
        if (!unknown.isEmpty()) {
            return answer(context, request, 400, "not members of " + context.group.id() + ": " + String.join(", ", unknown));
        }
        if (request.postgresVersion() != null && parseVersion(request.postgresVersion()) == null) {
            return answer(context, request, 400, "postgres_version must look like 15 or 15.4, got '"
                    + request.postgresVersion() + "'");
        }
        if (request.timeoutSeconds() != null && request.timeoutSeconds() <= 0) {
            return answer(context, request, 400, "Timeout should be a positive number of seconds");
        }
        if (request.scheduledAt() != null && request.scheduledAt().isAfter(context.now)) {
            if (context.group.paused()) {
                return answer(context, request, 400, "Can't schedule restart in the paused state");
            }
            if (context.group.scheduled().containsKey(ActionKind.RESTART)) {
                return answer(context, request, 409, "Another restart is already scheduled");
            }
            context.emit(new ScheduledActionSet(context.epoch(), context.group.id(), ActionKind.RESTART,
                    request.scheduledAt(), request));
            return answer(context, request, 202, "Restart scheduled at " + request.scheduledAt());
        }
        List<String> restarted = issueRestarts(context, request);
        if (restarted.isEmpty()) {
            return answer(context, request, 412, "restart conditions are not satisfied: no member matches"
                    + conditions(request.role(), request.pendingOnly(), request.postgresVersion()));
        }
        return answer(context, request, 202, "restart issued to " + String.join(", ", restarted));
    }

    /** Issues the restarts a request asks for now; returns the members restarted. */
    static List<String> issueRestarts(DecisionContext context, RestartRequested request) {
        List<String> restarted = new ArrayList<>();
        for (MemberState member : selected(context, request.members(), request.role())) {
            if (request.pendingOnly() && !member.observation().pendingRestart()) {
                continue;
            }
            if (request.postgresVersion() != null && !olderThan(member, request.postgresVersion())) {
                continue;
            }
            if (context.group.hasPendingCommandFor(member.name())) {
                continue;
            }
            if (CitusPauseRule.wanted(context, member.name())) {
                if (context.group.citusPause() == null) {
                    CitusPauseRule.request(context, PlannedStop.RESTART, member.name(), request.requestId(),
                            request.timeoutSeconds(), "requested by " + request.header().actor());
                    restarted.add(member.name());
                }
                continue;
            }
            context.issue(new Command.Restart(context.header(member.name()), request.timeoutSeconds(),
                    "requested by " + request.header().actor()), "restart of " + member.name() + " requested by "
                    + request.header().actor());
            restarted.add(member.name());
        }
        return restarted;
    }

    private static String reload(DecisionContext context, ReloadRequested request) {
        List<String> unknown = unknownMembers(context, request.members());
        if (!unknown.isEmpty()) {
            return answer(context, request, 400, "not members of " + context.group.id() + ": " + String.join(", ", unknown));
        }
        List<String> reloaded = new ArrayList<>();
        for (MemberState member : selected(context, request.members(), request.role())) {
            context.issue(new Command.Reload(context.header(member.name())), "reload of " + member.name()
                    + " requested by " + request.header().actor());
            reloaded.add(member.name());
        }
        if (reloaded.isEmpty()) {
            return answer(context, request, 412, "no member matches" + conditions(request.role(), false, null));
        }
        return answer(context, request, 202, "reload scheduled on " + String.join(", ", reloaded));
    }

    private static List<MemberState> selected(DecisionContext context, List<String> names, RoleFilter role) {
        List<MemberState> selected = new ArrayList<>();
        for (MemberState member : context.group.members().values()) {
            if (!names.isEmpty() && !names.contains(member.name())) {
                continue;
            }
            boolean isLeader = member.name().equals(context.group.leader());
            if ((role == RoleFilter.PRIMARY && !isLeader) || (role == RoleFilter.REPLICA && isLeader)) {
                continue;
            }
            selected.add(member);
        }
        return selected;
    }

    private static String conditions(RoleFilter role, boolean pendingOnly, String version) {
        List<String> parts = new ArrayList<>();
        if (role != RoleFilter.ANY) {
            parts.add("role " + role.name().toLowerCase());
        }
        if (pendingOnly) {
            parts.add("pending restart");
        }
        if (version != null) {
            parts.add("PostgreSQL older than " + version);
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static boolean olderThan(MemberState member, String version) {
        int[] wanted = parseVersion(version);
        int[] running = parseVersion(member.info().version() == null ? "" : member.info().version()
                .replaceAll(".*PostgreSQL\\s*", ""));
        if (running == null) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (running[i] != wanted[i]) {
                return running[i] < wanted[i];
            }
        }
        return false;
    }

    private static int[] parseVersion(String text) {
        Matcher matcher = VERSION.matcher(text.trim());
        if (!matcher.lookingAt()) {
            return null;
        }
        int[] parts = new int[3];
        for (int i = 0; i < 3; i++) {
            String group = matcher.group(i + 1);
            if (group != null && group.length() > MAX_VERSION_DIGITS) {
                return null; // no PostgreSQL version has such a part; and it would not fit an int
            }
            parts[i] = group == null ? 0 : Integer.parseInt(group);
        }
        return parts;
    }

    private static List<String> unknownMembers(DecisionContext context, List<String> names) {
        return names.stream().filter(name -> !context.group.members().containsKey(name)).toList();
    }

    // ---- reinitialize ------------------------------------------------------------------------

    private static String reinitialize(DecisionContext context, ReinitializeRequested request) {
        MemberState member = context.group.members().get(request.member());
        if (member == null) {
            return answer(context, request, 400, request.member() + " is not a member of " + context.group.id());
        }
        if (!context.leaderHealthy()) {
            return answer(context, request, 503, "Cluster has no leader, can not reinitialize");
        }
        if (member.name().equals(context.group.leader())) {
            return answer(context, request, 503, member.name() + " is the leader, can not reinitialize");
        }
        if (context.group.hasPendingCommandFor(member.name()) && !request.force()) {
            String busy = context.group.commands().values().stream().filter(p -> p.command().member().equals(member.name()))
                    .map(p -> p.command().kind()).findFirst().orElse("an action");
            return answer(context, request, 503, busy + " already in progress on " + member.name());
        }
        MemberState leader = context.leader().orElseThrow();
        MemberState source = leader;
        if (!request.fromLeader()) {
            for (MemberState candidate : context.group.members().values()) {
                if (candidate.tags().clonefrom() && !candidate.name().equals(member.name()) && context.isFresh(candidate)
                        && candidate.observation().isRunningReplica()) {
                    source = candidate;
                    break;
                }
            }
        }
        context.issue(new Command.Reinitialize(context.header(member.name()), source.name(), source.endpoints(),
                leader.name(), leader.endpoints(), SlotNames.forMember(member.name())), "reinitialize of "
                + member.name() + " from " + source.name() + " requested by " + request.header().actor());
        return answer(context, request, 200, "reinitialize started");
    }

    // ---- maintenance mode and configuration ---------------------------------------------------

    private static String maintenance(DecisionContext context, OperatorRequest request, boolean pause) {
        if (context.group.paused() == pause) {
            return answer(context, request, 409, pause ? "Cluster is already paused" : "Cluster is not paused");
        }
        context.emit(new MaintenanceModeChanged(context.epoch(), context.group.id(), pause, request.header().actor(),
                request.requestId()));
        return answer(context, request, 200, pause ? "maintenance mode on: no automatic action until resumed"
                : "maintenance mode off");
    }

    private static String patch(DecisionContext context, ConfigurationPatchRequested request) {
        DynamicConfig current = context.config();
        if (request.expectedVersion() != null && request.expectedVersion() != current.version()) {
            return answer(context, request, 409, "the configuration changed meanwhile: it is at version "
                    + current.version() + ", the patch expected " + request.expectedVersion());
        }
        ConfigTree patch = request.patch();
        Object pause = patch.entries().get("pause");
        if (pause != null) {
            patch = ConfigTree.of(withoutKey(patch, "pause"));
        }
        Boolean wantPaused = pause == null ? null : pause == ConfigTree.DELETE ? Boolean.FALSE : asPause(pause);
        if (pause != null && wantPaused == null) {
            return answer(context, request, 400, "pause: must be true, false or null, got '" + pause + "'");
        }
        DynamicConfig.Parsed parsed = current.patched(patch);
        if (!parsed.isValid()) {
            return answer(context, request, 400, "invalid configuration: " + String.join("; ", parsed.errors()));
        }
        if (!patch.isEmpty()) {
            context.emit(new ConfigurationChanged(context.epoch(), context.group.id(), parsed.config().version(), patch,
                    parsed.config().tree(), request.header().actor(), request.requestId()));
        }
        if (wantPaused != null && wantPaused != context.group.paused()) {
            context.emit(new MaintenanceModeChanged(context.epoch(), context.group.id(), wantPaused,
                    request.header().actor(), request.requestId()));
        }
        String message = patch.isEmpty() ? "configuration unchanged" : "configuration version " + parsed.config().version();
        if (!parsed.warnings().isEmpty()) {
            message += "; warnings: " + String.join("; ", parsed.warnings());
        }
        return answer(context, request, 200, message);
    }

    private static java.util.Map<String, Object> withoutKey(ConfigTree tree, String key) {
        java.util.Map<String, Object> entries = new java.util.TreeMap<>(tree.entries());
        entries.remove(key);
        return entries;
    }

    private static Boolean asPause(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        String text = String.valueOf(value).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (text) {
            case "true", "on", "yes" -> Boolean.TRUE;
            case "false", "off", "no" -> Boolean.FALSE;
            default -> null;
        };
    }

    // ---- remove and cancel -------------------------------------------------------------------

    private static String remove(DecisionContext context, RemoveClusterRequested request) {
        String message = answer(context, request, 200, "cluster " + context.group.id() + " removed");
        context.emit(new ClusterRemoved(context.epoch(), context.group.id(), request.header().actor(), request.requestId()));
        return message;
    }

    private static String cancel(DecisionContext context, CancelScheduledRequested request) {
        String what = request.action().name().toLowerCase();
        if (!context.group.scheduled().containsKey(request.action())) {
            return answer(context, request, 404, "no " + what + " is scheduled");
        }
        cancelScheduled(context, request.action(), request, "cancelled by " + request.header().actor());
        return answer(context, request, 200, "scheduled " + what + " deleted");
    }
}
